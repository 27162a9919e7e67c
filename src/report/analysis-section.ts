/**
 * @module
 * The analysis section of a result document: degradation from the lowest to
 * the highest level, the bottleneck (both from `analysis/degradation.ts`) and
 * the recommendations (`analysis/recommendations.ts`) in words.
 *
 * @example
 * ```ts
 * import { analyze } from "./analysis-section.ts";
 * const analysis = analyze(result.levels);
 * analysis.bottleneck?.cause;             // e.g. "CPU/JSON processing"
 * ```
 */
import { bottleneck, degradation } from "../analysis/degradation.ts";
import { recommendations } from "../analysis/recommendations.ts";
import type { Analysis, LevelResult } from "../model/result.ts";
import { type Scenarios, specOf } from "../suites/metric-catalogue.ts";
import { recommendationText } from "./recommendation-text.ts";

/**
 * Degradation, bottleneck and recommendations for `levels`, lowest level first; the warm-up's faults are recommended on too.
 * `plan`: the run's, whose scenarios declare their own metrics.
 */
export function analyze(levels: readonly LevelResult[], warmup?: LevelResult, plan?: Scenarios): Analysis {
  const degradations = degradation(levels);
  const worstOne = bottleneck(degradations);
  const isFault = (id: string): boolean => specOf(id, plan)?.fault === true;
  const advice = recommendations(levels, degradations, worstOne, { warmup, isFault });
  return {
    degradation: degradations,
    bottleneck: worstOne,
    recommendations: advice.map((a) => ({ severity: a.severity, text: recommendationText(a) })),
  };
}
