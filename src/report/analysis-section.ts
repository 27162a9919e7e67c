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
import { recommendationText } from "./recommendation-text.ts";

/** Degradation, bottleneck and recommendations for `levels`, lowest level first. */
export function analyze(levels: readonly LevelResult[]): Analysis {
  const degradations = degradation(levels);
  const worstOne = bottleneck(degradations);
  const advice = recommendations(levels, degradations, worstOne);
  return { degradation: degradations, bottleneck: worstOne, recommendations: advice.map((a) => ({ severity: a.severity, text: recommendationText(a) })) };
}
