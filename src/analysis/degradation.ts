/**
 * @module
 * Scalability from the lowest to the highest level run, as the seed guide
 * defines it: `(1 − top / bottom) × 100 %` for every throughput metric, and
 * the bottleneck named after the metric that degrades most.
 */
import {
  type Analysis,
  type Degradation,
  isBuiltinSuite,
  type LevelResult,
  type Metric,
  type SuiteName,
  type Verdict,
} from "../model/result.ts";

export type Bottleneck = NonNullable<Analysis["bottleneck"]>;

/** The seed's bottleneck list: what a suite's degradation usually points at. */
export const BOTTLENECK_CAUSES: Readonly<Record<SuiteName, string>> = Object.freeze({
  connection: "Network/socket limits",
  message: "CPU/JSON processing",
  subscription: "Memory/data structures",
  broadcast: "Network/bandwidth",
  permission: "Dictionary lookups",
  compression: "CPU/algorithm efficiency",
});

/** What a scenario's degradation points at: the server's handling of the flow the scenario drives. */
const SCENARIO_CAUSE = "the server's handling of the scenario's flow (its slowest step: see the scenario's latencies)";

/** The likely cause behind a suite's degradation. */
const causeOf = (suite: string): string => (isBuiltinSuite(suite) ? BOTTLENECK_CAUSES[suite] : SCENARIO_CAUSE);

/** Throughput: higher is better and the unit is a rate. */
export function isThroughput(metric: Pick<Metric, "better" | "unit">): boolean {
  return metric.better === "higher" && metric.unit.endsWith("/s");
}

/** < 10 % excellent, 10–30 % good, > 30 % poor; negative means it improved with load. */
export function degradationVerdict(percent: number): Verdict {
  return percent < 10 ? "pass" : percent <= 30 ? "warn" : "fail";
}

/** Compares the first and the last level of `levels`; fewer than two levels give nothing. */
export function degradation(levels: readonly LevelResult[]): Degradation[] {
  if (levels.length < 2) return [];
  const bottomLevel = levels[0];
  const topLevel = levels[levels.length - 1];
  const result: Degradation[] = [];
  for (const bottomSuite of bottomLevel.suites) {
    const topSuite = topLevel.suites.find((s) => s.suite === bottomSuite.suite);
    // a failed suite's figures are partial (it measured nothing, or lost its server): no trend is drawn from them
    if (!topSuite || topSuite.status === "failed" || bottomSuite.status === "failed") continue;
    for (const bottom of bottomSuite.metrics) {
      // a zero (or absent) baseline has no ratio to speak of
      if (!isThroughput(bottom) || bottom.value <= 0) continue;
      const top = topSuite.metrics.find((m) => m.layer === bottom.layer && m.key === bottom.key);
      if (!top) continue;
      // (bottom − top) / bottom is the seed's 1 − top/bottom, without the
      // rounding that would put exactly 10 % just under the band edge
      const percent = ((bottom.value - top.value) * 100) / bottom.value;
      result.push({
        suite: bottomSuite.suite,
        layer: bottom.layer,
        key: bottom.key,
        label: bottom.label,
        bottomLevel: bottomLevel.level.name,
        topLevel: topLevel.level.name,
        bottom: bottom.value,
        top: top.value,
        percent,
        verdict: degradationVerdict(percent),
      });
    }
  }
  return result;
}

/** The metric that degrades most, with its likely cause; null when nothing degrades. */
export function bottleneck(degradations: readonly Degradation[]): Bottleneck | null {
  let most: Degradation | undefined;
  for (const d of degradations) if (d.percent > 0 && (!most || d.percent > most.percent)) most = d;
  if (!most) return null;
  // the engine layer has no network: its degradation is the hub's own code and data structures
  const cause = most.layer === "engine"
    ? `${causeOf(most.suite)}, in-process: the server's own code and data structures, not the network`
    : causeOf(most.suite);
  return { suite: most.suite, layer: most.layer, key: most.key, percent: most.percent, cause };
}
