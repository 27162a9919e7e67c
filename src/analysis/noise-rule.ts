/**
 * @module
 * The one rule `compare` and `matrix` call a difference by: a change is
 * **better** or **worse** only when its whole 95 % confidence interval lies
 * beyond the tolerance (the smallest change worth a call, 10 % unless set
 * per metric). The interval measures the noise in the same runs:
 *
 * - **enough runs** (4 of each, or 3 against 5, 2 against 8): the
 *   Mann–Whitney U test over the runs (`rank-test.ts`) on the logarithms of
 *   the figures, so the interval is one of ratios: the Hodges–Lehmann shift
 *   and its Moses interval. Nothing is assumed about the shape of the noise.
 * - **too few runs**: `compare` uses the default noise model: each run's
 *   figure is taken to vary by ±20 % from run to run (one standard
 *   deviation of its logarithm), or by the spread the runs given show when
 *   that is larger (then with Student's t on its few degrees of freedom),
 *   and a percentile also by its own sampling spread, read from its
 *   histogram; the interval is then the one around the difference of the
 *   mean logarithms. The matrix, which chooses its own
 *   rounds, calls nothing and says so (`too-few`).
 *
 * Figures that can be zero or negative are judged on their own scale,
 * relative to the baseline's median. A count of faults, which must stay at
 * zero, is worse on any rise from none (a fault is never noise) and judged
 * as a figure otherwise.
 *
 * @example
 * ```ts
 * import { judgeDifference } from "./noise-rule.ts";
 * const c = judgeDifference({ values: [100, 102, 99, 101] }, { values: [80, 81, 79, 82] }, {
 *   better: "higher", tolerancePercent: 10, whenTooFew: "noise-model",
 * });
 * c.call;          // "worse"
 * c.changePercent; // -20.3, c.interval [-22.1, -18.3]
 * ```
 */
import type { DifferenceCall, NoiseRule } from "../model/difference-call.ts";
import { median, studentTCdf, studentTQuantile } from "./distributions.ts";
import { enoughRuns, rankTest } from "./rank-test.ts";
import type { Tolerances } from "./tolerances.ts";

/** The confidence every call is made at. */
export const CONFIDENCE = 0.95;
/**
 * The default noise model's run-to-run spread of one run's figure, when the runs given are too few to measure it: at the low end
 * of what unchanged runs showed on a shared 2-core machine (3 runs ×1.4–×2.1 apart; at 10 %, 3 of 4 unchanged pairs were called).
 */
export const ASSUMED_NOISE_PERCENT = 20;
/**
 * The default noise model's spread of a p95 or a deeper percentile: in a phase of 1 to 5 s (a paced phase's bounds) the
 * slowest 5 % of samples span 50 to 250 ms, which one stall of the host fills. In two sets of 16 unchanged runs
 * (`tests/_noise-bench.ts`'s plan, one after another, load about 1) one run's p99 stood up to ×7.6 above another's
 * (message RTT 2.9 and 22.2 ms; permission deny 2.6 and 15.7 ms); in the bench's 30 interleaved unchanged pairs a
 * message RTT p95 stood ×7.5 above another (−86.6 %), and p95s ×2.0 and ×1.85 apart were called at ±20 %. At ±110 % no
 * pair of them is called (a call needs about ×8).
 */
export const ASSUMED_TAIL_NOISE_PERCENT = 110;
/**
 * The default noise model's spread of an engine-layer figure: the hub's hot path timed in-process for a few tens of
 * milliseconds moves with the host's speed: the second 16 runs, timed as `engine-timing.ts` does now, read up to ×2.7
 * apart (message parse + validate + route 1.04–2.76 M ops/s; RBAC checks 23–57 M/s): at ±40 % no pair of them is called.
 */
export const ASSUMED_ENGINE_NOISE_PERCENT = 40;

/** A p95 or a deeper percentile (`rtt_p95_ms`, `knee_p99_ms`, `p999_us`): the tail, which one stall decides. */
export function isTailPercentile(id: string): boolean {
  return /[._]p(95|99\d*)(_[a-z]+)?$/.test(id);
}

/** What the default noise model takes `id`'s figure to vary by from run to run, in percent. */
export function assumedNoiseOf(id: string): number {
  if (id.split(".")[1] === "engine") return ASSUMED_ENGINE_NOISE_PERCENT;
  return isTailPercentile(id) ? ASSUMED_TAIL_NOISE_PERCENT : ASSUMED_NOISE_PERCENT;
}

export type Runs = {
  /** one figure per run */
  readonly values: readonly number[];
  /** each run's own sampling spread, as the standard deviation of the figure's logarithm (a percentile's, from its histogram) */
  readonly samplingSd?: readonly number[];
};

export type RuleOptions = {
  readonly better: "higher" | "lower" | "none";
  readonly tolerancePercent: number;
  /** a count of faults, which must stay at zero */
  readonly faults?: boolean;
  /** false: a single-sample figure no tolerance names: judged and shown, never called */
  readonly gated?: boolean;
  /** too few runs for the rank test: the default noise model (compare), or no call at all (the matrix) */
  readonly whenTooFew: "noise-model" | "no-call";
  /** the default noise model's run-to-run spread of this figure, in percent (`assumedNoiseOf`; ASSUMED_NOISE_PERCENT unless set) */
  readonly assumedNoisePercent?: number;
};

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** The standard deviation within the sides, pooled, with its degrees of freedom; null when no side has two runs. */
function pooled(sides: ReadonlyArray<readonly number[]>): { sd: number; df: number } | null {
  let squares = 0;
  let df = 0;
  for (const side of sides) {
    if (side.length < 2) continue;
    const m = mean(side);
    squares += side.reduce((a, v) => a + (v - m) ** 2, 0);
    df += side.length - 1;
  }
  return df === 0 ? null : { sd: Math.sqrt(squares / df), df };
}

/** Ratios when every figure is positive; else differences, relative to the baseline's median. */
type Scale = { log: boolean; base: number };

function toPercent(scale: Scale, d: number): number | null {
  if (scale.log) return Math.expm1(d) * 100;
  if (scale.base > 0) return (d / scale.base) * 100;
  return d === 0 ? 0 : null;
}

function spreadPercent(scale: Scale, sd: number | null): number | null {
  if (sd === null) return null;
  return scale.log ? Math.expm1(sd) * 100 : scale.base > 0 ? (sd / scale.base) * 100 : null;
}

/** better or worse when the whole interval lies beyond the tolerance; from a zero baseline, the sign of a significant change. */
function callOf(
  better: "higher" | "lower",
  interval: [number, number] | null,
  fromZero: number,
  tolerance: number,
): DifferenceCall["call"] {
  const up = better === "higher" ? "better" : "worse";
  const down = better === "higher" ? "worse" : "better";
  if (interval === null) return fromZero > 0 ? up : fromZero < 0 ? down : "same";
  if (interval[0] > tolerance) return up;
  if (interval[1] < -tolerance) return down;
  return "same";
}

function faultCall(baseline: readonly number[], current: readonly number[]): "better" | "worse" | undefined {
  const none = (xs: readonly number[]) => xs.every((x) => x === 0);
  if (none(baseline) && !none(current)) return "worse";
  if (none(current) && !none(baseline)) return "better";
  return undefined;
}

type Estimate = Omit<DifferenceCall, "call" | "tolerancePercent"> & { fromZero: number };

/** The rank test's estimate; its interval only when the runs are `enough` to reach the confidence. */
function byRanks(scale: Scale, a: readonly number[], b: readonly number[], enough: boolean): Estimate {
  const t = rankTest(a, b, CONFIDENCE);
  const [lo, hi] = enough && t.interval ? t.interval.map((d) => toPercent(scale, d)) : [null, null];
  const interval: [number, number] | null = lo === null || hi === null ? null : [lo, hi];
  return {
    method: "rank-test",
    changePercent: toPercent(scale, t.shift),
    interval,
    confidence: interval ? t.confidence : null,
    pValue: t.p,
    noisePercent: spreadPercent(scale, pooled([a, b])?.sd ?? null),
    samplingPercent: null,
    fromZero: enough && interval === null && t.p <= 1 - CONFIDENCE ? Math.sign(t.shift) : 0,
  };
}

function byNoiseModel(
  scale: Scale,
  a: readonly number[],
  b: readonly number[],
  sampling: [number, number],
  assumedPercent: number,
): Estimate {
  const assumed = scale.log
    ? Math.log1p(assumedPercent / 100)
    : (assumedPercent / 100) * Math.max(Math.abs(median(a)), Math.abs(median(b)));
  // a spread measured over a handful of runs is itself uncertain: Student's t on its degrees of freedom, not the normal
  const seen = pooled([a, b]);
  const measured = seen !== null && seen.sd > assumed;
  const sd = measured ? seen.sd : assumed;
  const df = measured ? seen.df : Infinity;
  const se = Math.sqrt((sd ** 2 + sampling[0]) / a.length + (sd ** 2 + sampling[1]) / b.length);
  const d = mean(b) - mean(a);
  const z = studentTQuantile(1 - (1 - CONFIDENCE) / 2, df);
  const p = se === 0 ? (d === 0 ? 1 : 0) : 2 * (1 - studentTCdf(Math.abs(d) / se, df));
  const [lo, hi] = [toPercent(scale, d - z * se), toPercent(scale, d + z * se)];
  const interval: [number, number] | null = lo === null || hi === null ? null : [lo, hi];
  const samplingVar = Math.max(sampling[0], sampling[1]);
  return {
    method: "noise-model",
    changePercent: toPercent(scale, d),
    interval,
    confidence: interval ? CONFIDENCE : null,
    pValue: p,
    noisePercent: spreadPercent(scale, sd),
    samplingPercent: samplingVar > 0 ? spreadPercent(scale, Math.sqrt(samplingVar)) : null,
    fromZero: interval === null && p <= 1 - CONFIDENCE ? Math.sign(d) : 0,
  };
}

/** The call on current against baseline: the one rule, for `compare` and `matrix` alike. */
export function judgeDifference(baseline: Runs, current: Runs, options: RuleOptions): DifferenceCall {
  const a = baseline.values;
  const b = current.values;
  if (a.length === 0 || b.length === 0) throw new RangeError("judgeDifference() needs at least one run on each side");
  const tolerancePercent = options.tolerancePercent;
  const positive = [...a, ...b].every((v) => v > 0);
  const scale: Scale = { log: positive, base: Math.abs(median(a)) };
  const f = (xs: readonly number[]) => (positive ? xs.map(Math.log) : xs);
  const enough = enoughRuns(a.length, b.length, CONFIDENCE);
  const meanSquare = (sd?: readonly number[]) => (positive && sd?.length ? mean(sd.map((s) => s * s)) : 0);
  const estimate = enough || options.whenTooFew === "no-call" ? byRanks(scale, f(a), f(b), enough) : byNoiseModel(
    scale,
    f(a),
    f(b),
    [meanSquare(baseline.samplingSd), meanSquare(current.samplingSd)],
    options.assumedNoisePercent ?? ASSUMED_NOISE_PERCENT,
  );
  const { fromZero, ...figures } = estimate;
  const judged = { ...figures, tolerancePercent };
  if (options.better === "none") return { ...judged, call: "unjudged" };
  const fault = options.faults ? faultCall(a, b) : undefined;
  if (fault) return { ...judged, method: "faults", call: fault };
  if (!enough && options.whenTooFew === "no-call") return { ...judged, call: "too-few" };
  const call = callOf(options.better, figures.interval, fromZero, tolerancePercent);
  return { ...judged, call: options.gated === false ? "not-gated" : call };
}

/** The rule in words: `compare` falls back on the default noise model, the matrix calls nothing. */
export function ruleText(whenTooFew: RuleOptions["whenTooFew"]): string {
  const tooFew = whenTooFew === "noise-model"
    ? `else the default noise model (each run's figure taken to vary ±${ASSUMED_NOISE_PERCENT} % from run to run, a p95 or deeper ` +
      `±${ASSUMED_TAIL_NOISE_PERCENT} %, an engine-layer figure ±${ASSUMED_ENGINE_NOISE_PERCENT} %, or by the spread ` +
      "the runs show when larger, and a percentile also by its histogram's sampling spread)"
    : "else nothing is called (too few rounds)";
  return `a change is called only when its whole ${CONFIDENCE * 100} % confidence interval lies beyond the tolerance: the interval of ` +
    "the Mann–Whitney U test over the runs (the Hodges–Lehmann shift of the logarithms and its Moses interval) when there are " +
    `enough of them (4 of each, or 3 against 5), ${tooFew}; a single-sample figure (a max or a min) or the generator's own ` +
    "send lag is never called unless a tolerance names it; a count of faults is worse on any rise from none";
}

/** The rule and its settings, as a comparison or a matrix document records it. */
export function ruleRecord(tolerances: Tolerances, whenTooFew: RuleOptions["whenTooFew"]): NoiseRule {
  return {
    test: "mann-whitney-u",
    confidence: CONFIDENCE,
    defaultTolerancePercent: tolerances.defaultPercent,
    tolerances: { ...tolerances.perMetric },
    assumedNoisePercent: ASSUMED_NOISE_PERCENT,
    assumedTailNoisePercent: ASSUMED_TAIL_NOISE_PERCENT,
    assumedEngineNoisePercent: ASSUMED_ENGINE_NOISE_PERCENT,
    whenTooFew,
    text: ruleText(whenTooFew),
  };
}
