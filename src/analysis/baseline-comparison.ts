/**
 * @module
 * Results compared metric by metric, for CI gates: one or several baseline
 * runs against one or several current runs. For every metric both sides
 * hold (same level, suite, layer and key), the figures of every run and the
 * call of the noise rule (`noise-rule.ts`): improved or regressed only when
 * the change's 95 % interval lies wholly beyond the tolerance. With enough
 * runs of each (4, or 3 against 5) the interval is the rank test's over
 * them; with fewer, the default noise model's, and the document says what
 * those runs cannot tell. Nothing in common is bad input.
 *
 * @example
 * ```ts
 * import { compareResults } from "./baseline-comparison.ts";
 * const c = compareResults([base1, base2, base3, base4], [cur1, cur2, cur3, cur4], {
 *   tolerancePercent: 10,
 *   tolerances: { "message.wire.rtt_p99_ms": 15 },
 * });
 * if (c.regressed > 0) process.exitCode = 1;
 * ```
 */
import { inputError } from "../model/input-error.ts";
import type { Result } from "../model/result.ts";
import { VERSION } from "../model/version.ts";
import { type Comparison, COMPARISON_SCHEMA_VERSION, type ComparisonRow, parseComparison } from "../model/comparison-document.ts";
import {
  ASSUMED_ENGINE_NOISE_PERCENT,
  ASSUMED_NOISE_PERCENT,
  ASSUMED_TAIL_NOISE_PERCENT,
  assumedNoiseOf,
  CONFIDENCE,
  judgeDifference,
  ruleRecord,
} from "./noise-rule.ts";
import { enoughRuns } from "./rank-test.ts";
import { median, normalQuantile } from "./distributions.ts";
import { type Figure, runFigures } from "./run-figures.ts";
import { checkMetricId, checkNamedMetrics, checkPercent, DEFAULT_TOLERANCE_PERCENT, toleranceOf, type Tolerances } from "./tolerances.ts";
import { comparisonCaveats, describeRun, straddlesLatencySplit } from "./comparison-caveats.ts";

export { DEFAULT_TOLERANCE_PERCENT } from "./tolerances.ts";
export type { Comparison, ComparisonRow } from "../model/comparison-document.ts";
export type Change = ComparisonRow["change"];

export type CompareOptions = {
  /** the tolerance of every metric `tolerances` does not name, in percent (default 10) */
  tolerancePercent?: number;
  /** tolerances of single metrics by id, `suite.layer.key`, in percent; naming a single-sample figure (a max) makes it count */
  tolerances?: Readonly<Record<string, number>>;
  /** what to call the runs (the CLI passes the file names), in the order given */
  baselineNames?: readonly string[];
  currentNames?: readonly string[];
};

const CHANGE_OF = {
  better: "improved",
  worse: "regressed",
  same: "same",
  "not-gated": "not-gated",
  unjudged: "unjudged",
  "too-few": "same",
} as const;

function tolerancesOf(options: CompareOptions): Tolerances {
  const defaultPercent = checkPercent("tolerancePercent", options.tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT);
  const perMetric: Record<string, number> = {};
  for (const [id, percent] of Object.entries(options.tolerances ?? {})) {
    perMetric[checkMetricId("tolerances", id)] = checkPercent(`tolerances.${id}`, percent);
  }
  return { defaultPercent, perMetric };
}

function row(a: Figure, b: Figure, tolerances: Tolerances): ComparisonRow {
  const { layer, key } = b.metric;
  const id = `${b.suite}.${layer}.${key}`;
  // the current run's catalogue entry decides the direction
  const { label, unit, better } = b.metric;
  const { percent, gated } = toleranceOf(tolerances, id);
  const call = judgeDifference({ values: a.values, samplingSd: a.samplingSd }, { values: b.values, samplingSd: b.samplingSd }, {
    better,
    tolerancePercent: percent,
    faults: unit === "" && better === "lower",
    gated,
    whenTooFew: "noise-model",
    assumedNoisePercent: assumedNoiseOf(id),
  });
  return {
    level: b.level,
    suite: b.suite,
    layer,
    key,
    label,
    unit,
    better,
    baseline: median(a.values),
    current: median(b.values),
    baselineRuns: a.values,
    currentRuns: b.values,
    source: a.fromHistograms && b.fromHistograms ? "histogram" : "metric",
    change: CHANGE_OF[call.call],
    call,
  };
}

/** The smallest changes the default noise model can call with n and m runs: `+82 % or −46 %` for one of each at 10 % and ±20 %. */
function reach(n: number, m: number, tolerancePercent: number, assumedPercent: number): string {
  const sd = Math.log1p(assumedPercent / 100) * Math.sqrt(1 / n + 1 / m) * normalQuantile(1 - (1 - CONFIDENCE) / 2);
  const up = Math.expm1(Math.log1p(tolerancePercent / 100) + sd) * 100;
  const down = -Math.expm1(Math.log(Math.max(1e-9, 1 - tolerancePercent / 100)) - sd) * 100;
  return `+${Math.round(up)} % or −${Math.round(down)} %`;
}

function unknowns(n: number, m: number, tolerancePercent: number): string[] {
  if (enoughRuns(n, m, CONFIDENCE)) return [];
  const runs = (k: number, side: string) => `${k} ${side} ${k === 1 ? "run" : "runs"}`;
  const smallest = `${reach(n, m, tolerancePercent, ASSUMED_NOISE_PERCENT)} (a p95 or deeper: ` +
    `${reach(n, m, tolerancePercent, ASSUMED_TAIL_NOISE_PERCENT)}; an engine-layer figure: ${
      reach(n, m, tolerancePercent, ASSUMED_ENGINE_NOISE_PERCENT)
    })`;
  return [
    `${runs(n, "baseline")} and ${runs(m, "current")} are too few for the rank test (it needs 4 of each, or 3 against 5) ` +
    `to measure the spread between runs: calls use the default noise model, so a change smaller than about ${smallest} ` +
    "cannot be told from noise; compare 4 or more runs of each (compare B1 B2 B3 B4 -- C1 C2 C3 C4), or 2 current runs " +
    "against 8 kept baselines, to measure it",
  ];
}

/** The baseline runs against the current runs: one of each, or several to learn the spread one run cannot show. */
export function compareResults(
  baseline: Result | readonly Result[],
  current: Result | readonly Result[],
  options: CompareOptions = {},
): Comparison {
  const baselines: readonly Result[] = Array.isArray(baseline) ? baseline : [baseline as Result];
  const currents: readonly Result[] = Array.isArray(current) ? current : [current as Result];
  if (baselines.length === 0 || currents.length === 0) {
    throw inputError("compareResults()", "needs at least one baseline and one current result", "one result or a list of them on each side");
  }
  const tolerances = tolerancesOf(options);
  // results from both sides of schema 3 compare closed-loop latency with closed-loop latency
  const asNow = straddlesLatencySplit(baselines, currents);
  const a = runFigures(baselines, "the baseline", asNow);
  const b = runFigures(currents, "the current run", asNow);
  const rows = [...a.figures].flatMap(([id, fa]) => {
    const fb = b.figures.get(id);
    return fb ? [row(fa, fb, tolerances)] : [];
  });
  if (rows.length === 0) {
    const what = (s: typeof a) => [...s.suites].join(", ") || "nothing";
    throw inputError(
      "compare",
      "the baseline and the current results have no metric in common",
      `results of one plan: a level and a suite both ran (the baseline ran ${what(a)}; the current ${what(b)})`,
    );
  }
  checkNamedMetrics(tolerances, rows.map((r) => `${r.suite}.${r.layer}.${r.key}`), "tolerance");
  const only = (x: typeof a, y: typeof a) => [
    ...[...x.levels].filter((l) => !y.levels.has(l)).map((l) => `level ${l}`),
    ...[...x.suites].filter((s) => y.levels.has(s.split(" ")[0]) && !y.suites.has(s)),
  ];
  const count = (c: Change) => rows.filter((r) => r.change === c).length;
  return parseComparison({
    schemaVersion: COMPARISON_SCHEMA_VERSION,
    kind: "wsstress-comparison",
    tool: { name: "wsstress", version: VERSION },
    rule: ruleRecord(tolerances, "noise-model"),
    baselines: baselines.map((r, i) => describeRun(r, options.baselineNames?.[i])),
    currents: currents.map((r, i) => describeRun(r, options.currentNames?.[i])),
    rows,
    improved: count("improved"),
    same: count("same"),
    regressed: count("regressed"),
    notGated: count("not-gated"),
    unknowns: unknowns(baselines.length, currents.length, tolerances.defaultPercent),
    onlyInBaseline: only(a, b),
    onlyInCurrent: only(b, a),
    caveats: [...comparisonCaveats(baselines, currents), ...a.skipped, ...b.skipped],
  });
}
