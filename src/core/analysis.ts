/**
 * @module
 * The analysis of a run: verdicts rolled up from metrics, degradation from the
 * lowest to the highest level, the bottleneck, and recommendations.
 *
 * @example
 * ```ts
 * import { analyze, overallVerdict } from "./analysis.ts";
 * const analysis = analyze(result.levels);
 * analysis.bottleneck?.cause;             // e.g. "CPU/JSON processing"
 * overallVerdict(result.levels);          // "pass" | "warn" | "fail" | "none"
 * ```
 */
import type { Analysis, LevelResult } from "../report/schema.ts";
import { bottleneck, degradation } from "./degradation.ts";
import { recommendations } from "./recommendations.ts";

export { compareVerdicts, levelVerdict, overallVerdict, suiteVerdict, worst, wrongAllows } from "./verdicts.ts";
export { BOTTLENECK_CAUSES, bottleneck, degradation, degradationVerdict, isThroughput } from "./degradation.ts";
export type { Bottleneck } from "./degradation.ts";
export { recommendations } from "./recommendations.ts";
export type { Recommendation } from "./recommendations.ts";

/** Degradation, bottleneck and recommendations for `levels`, lowest level first; the warm-up's faults are recommended on too. */
export function analyze(levels: readonly LevelResult[], warmup?: LevelResult): Analysis {
  const degradations = degradation(levels);
  const worstOne = bottleneck(degradations);
  return { degradation: degradations, bottleneck: worstOne, recommendations: recommendations(levels, degradations, worstOne, warmup) };
}
