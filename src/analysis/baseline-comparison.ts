/**
 * @module
 * Two results compared metric by metric, for CI gates: for every metric both
 * hold (same level, suite, layer and key), the change and whether it
 * improved, stayed the same or regressed, judged by the metric's `better`
 * direction with a tolerance. Latency percentiles are recomputed from both
 * histograms, never from averages.
 *
 * @example
 * ```ts
 * import { compareResults } from "./baseline-comparison.ts";
 * const c = compareResults(baseline, current, { tolerancePercent: 10 });
 * if (c.regressed > 0) process.exitCode = 1;
 * ```
 */
import { Histogram } from "../model/histogram.ts";
import type { HistogramJson, Layer, Metric, Result, SuiteId, SuiteResult } from "../model/result.ts";

export type Change = "improved" | "same" | "regressed" | "unjudged";

export type ComparisonRow = {
  level: string;
  suite: SuiteId;
  layer: Layer;
  key: string;
  label: string;
  unit: string;
  better: Metric["better"];
  baseline: number;
  current: number;
  /** (current − baseline) ÷ |baseline| × 100; null when only the baseline is 0 */
  deltaPercent: number | null;
  change: Change;
  /** `histogram`: both figures recomputed from the two runs' histograms */
  source: "metric" | "histogram";
};

export type Comparison = {
  tolerancePercent: number;
  rows: ComparisonRow[];
  improved: number;
  same: number;
  regressed: number;
  /** levels and suites that only one of the two results holds, e.g. `level high`, `medium compression` */
  onlyInBaseline: string[];
  onlyInCurrent: string[];
  /** differences in how the two were run that make the comparison weaker */
  caveats: string[];
};

export const DEFAULT_TOLERANCE_PERCENT = 10;

/** Float noise must not push a change of exactly the tolerance over it. */
const EPSILON = 1e-9;

/**
 * The change from `baseline` to `current`: beyond `tolerancePercent` in the
 * better direction it improved, beyond it in the worse direction it
 * regressed; exactly at the tolerance it is the same.
 */
export function judgeChange(better: Metric["better"], baseline: number, current: number, tolerancePercent: number): { deltaPercent: number | null; change: Change } {
  const deltaPercent = baseline === 0 ? (current === 0 ? 0 : null) : ((current - baseline) * 100) / Math.abs(baseline);
  if (better === "none") return { deltaPercent, change: "unjudged" };
  const sign = better === "higher" ? 1 : -1;
  // from zero any change is infinitely many percent: its direction decides
  const gain = deltaPercent === null ? sign * Math.sign(current) * Infinity : sign * deltaPercent;
  const change = gain > tolerancePercent + EPSILON ? "improved" : gain < -tolerancePercent - EPSILON ? "regressed" : "same";
  return { deltaPercent, change };
}

const LATENCY_KEY = /^(\w+)_(p(\d+(?:\.\d+)?)|max)_ms$/;

/** The figure of a latency metric recomputed from the histogram it came from, when both runs kept it. */
function fromHistogram(key: string, json: HistogramJson): number {
  const [, , which, q] = LATENCY_KEY.exec(key)!;
  const h = Histogram.fromJSON(json);
  return (which === "max" ? h.max : h.percentile(Number(q))) / 1e6;
}

function compareSuites(level: string, a: SuiteResult, b: SuiteResult, tolerance: number): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const ma of a.metrics) {
    const mb = b.metrics.find((m) => m.layer === ma.layer && m.key === ma.key);
    if (!mb) continue;
    const name = LATENCY_KEY.exec(ma.key)?.[1];
    const ha = name && ma.layer === "wire" ? a.histograms[`wire.${name}`] : undefined;
    const hb = name && ma.layer === "wire" ? b.histograms[`wire.${name}`] : undefined;
    const useHistograms = ha !== undefined && hb !== undefined && ha.count > 0 && hb.count > 0;
    const baseline = useHistograms ? fromHistogram(ma.key, ha) : ma.value;
    const current = useHistograms ? fromHistogram(mb.key, hb) : mb.value;
    // the current run's catalogue entry decides the direction
    const { deltaPercent, change } = judgeChange(mb.better, baseline, current, tolerance);
    rows.push({
      level,
      suite: a.suite,
      layer: ma.layer,
      key: ma.key,
      label: mb.label,
      unit: mb.unit,
      better: mb.better,
      baseline,
      current,
      deltaPercent,
      change,
      source: useHistograms ? "histogram" : "metric",
    });
  }
  return rows;
}

export function compareResults(baseline: Result, current: Result, options: { tolerancePercent?: number } = {}): Comparison {
  const tolerance = options.tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT;
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) throw new RangeError(`tolerance must be a percentage ≥ 0, got ${tolerance}`);
  const rows: ComparisonRow[] = [];
  const onlyInBaseline: string[] = [];
  const onlyInCurrent: string[] = [];
  const skipped: string[] = [];
  for (const la of baseline.levels) {
    const lb = current.levels.find((l) => l.level.name === la.level.name);
    if (!lb) {
      onlyInBaseline.push(`level ${la.level.name}`);
      continue;
    }
    for (const sa of la.suites) {
      const sb = lb.suites.find((s) => s.suite === sa.suite);
      const skip = [sa, sb].find((s) => s?.status === "skipped");
      if (skip) skipped.push(`${la.level.name} ${sa.suite} was skipped in the ${skip === sa ? "baseline" : "current run"}: ${skip.reason ?? "no reason given"}`);
      else if (sb) rows.push(...compareSuites(la.level.name, sa, sb, tolerance));
      else onlyInBaseline.push(`${la.level.name} ${sa.suite}`);
    }
    for (const sb of lb.suites) if (!la.suites.some((s) => s.suite === sb.suite)) onlyInCurrent.push(`${lb.level.name} ${sb.suite}`);
  }
  for (const lb of current.levels) if (!baseline.levels.some((l) => l.level.name === lb.level.name)) onlyInCurrent.push(`level ${lb.level.name}`);
  const count = (c: Change) => rows.filter((r) => r.change === c).length;
  return {
    tolerancePercent: tolerance,
    rows,
    improved: count("improved"),
    same: count("same"),
    regressed: count("regressed"),
    onlyInBaseline,
    onlyInCurrent,
    caveats: [...caveats(baseline, current), ...skipped],
  };
}

function caveats(a: Result, b: Result): string[] {
  const out: string[] = [];
  const runtime = (r: Result) => `${r.runtime.name} ${r.runtime.version}`;
  if (runtime(a) !== runtime(b)) out.push(`the baseline ran on ${runtime(a)}, the current run on ${runtime(b)}`);
  if (a.server.runtime !== b.server.runtime || a.server.embedded !== b.server.embedded) {
    out.push(`the servers differ: ${a.server.runtime} then ${b.server.runtime}`);
  }
  const machine = (r: Result) => `${r.machine.cpuModel} × ${r.machine.cores}`;
  if (machine(a) !== machine(b)) out.push(`the machines differ: ${machine(a)} then ${machine(b)}`);
  const profile = (r: Result) => r.plan.profile?.name ?? "wsstress";
  if (profile(a) !== profile(b)) out.push(`the protocol profiles differ: ${profile(a)} then ${profile(b)}`);
  if (a.plan.window !== b.plan.window) out.push(`the window differs: ${a.plan.window} then ${b.plan.window}`);
  for (const r of [a, b]) if (r.status !== "complete") out.push(`the ${r === a ? "baseline" : "current run"} is ${r.status}`);
  return out;
}
