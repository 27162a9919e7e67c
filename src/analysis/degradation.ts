/**
 * @module
 * Scalability from the lowest to the highest level run, as the seed guide
 * defines it: `(1 − top / bottom) × 100 %` for every throughput metric, and
 * the bottleneck named after the metric that degrades most. A rate measured
 * over too few events to judge (`evidence.ts`) is no baseline either: the
 * bottom is the lowest level where that rate had the evidence, and a metric
 * with none below the top is left out, as is an engine layer whose work the
 * level does not change.
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
import { TOO_FEW } from "./evidence.ts";

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

/**
 * The suites whose engine layer times the same work at every level (one echo through the hub, one RBAC check, one
 * payload deflated): the level changes nothing they do, so a change between levels is the machine's noise (×2
 * between two identical `--quick` runs here), never a trend. The others time work the level sizes: the connections
 * registered, the channel table's members, the subscribers a broadcast reaches.
 */
export const ENGINE_SAME_AT_EVERY_LEVEL: ReadonlySet<string> = new Set(["message", "permission", "compression"]);

/** Throughput: higher is better and the unit is a rate. */
export function isThroughput(metric: Pick<Metric, "better" | "unit">): boolean {
  return metric.better === "higher" && metric.unit.endsWith("/s");
}

/** < 10 % excellent, 10–30 % good, > 30 % poor; negative means it improved with load. */
export function degradationVerdict(percent: number): Verdict {
  return percent < 10 ? "pass" : percent <= 30 ? "warn" : "fail";
}

const hasEvidence = (m: Metric): boolean => !m.unjudged?.startsWith(TOO_FEW);

/** The suite `name` of `level` when it finished: a failed suite's figures are partial, no trend is drawn from them. */
const finished = (level: LevelResult, name: string) => level.suites.find((s) => s.suite === name && s.status !== "failed");

/** Compares each throughput metric from the lowest level where it had the evidence to the last level; one level gives nothing. */
export function degradation(levels: readonly LevelResult[]): Degradation[] {
  if (levels.length < 2) return [];
  const topLevel = levels[levels.length - 1];
  const result: Degradation[] = [];
  for (const topSuite of topLevel.suites) {
    if (topSuite.status === "failed") continue;
    for (const top of topSuite.metrics) {
      if (!isThroughput(top) || !hasEvidence(top)) continue;
      if (top.layer === "engine" && ENGINE_SAME_AT_EVERY_LEVEL.has(topSuite.suite)) continue;
      const bottomAt = levels.slice(0, -1).flatMap((level) => {
        const m = finished(level, topSuite.suite)?.metrics.find((x) => x.layer === top.layer && x.key === top.key);
        // a zero (or absent) baseline has no ratio to speak of
        return m && m.value > 0 && hasEvidence(m) ? [{ level, bottom: m }] : [];
      })[0];
      if (!bottomAt) continue;
      const { level: bottomLevel, bottom } = bottomAt;
      // (bottom − top) / bottom is the seed's 1 − top/bottom, without the
      // rounding that would put exactly 10 % just under the band edge
      const percent = ((bottom.value - top.value) * 100) / bottom.value;
      result.push({
        suite: topSuite.suite,
        layer: top.layer,
        key: top.key,
        label: top.label,
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
