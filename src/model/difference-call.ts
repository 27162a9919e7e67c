/**
 * @module
 * What the noise rule (`analysis/noise-rule.ts`) says about one difference
 * between two sets of runs, as the comparison and the matrix documents keep
 * it: how it was judged, the estimated change with its confidence interval
 * and p-value, the spread it had to beat, and the call; and the rule with
 * its settings, which each document records once.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { DifferenceCallSchema } from "./difference-call.ts";
 * const call = v.parse(DifferenceCallSchema, JSON.parse(text));
 * if (call.call === "worse") console.log(`${call.changePercent}% (${call.interval?.join(" to ")}), p = ${call.pValue}`);
 * ```
 */
import * as v from "valibot";
import type { Finite, Literal, NonNegative, Nullable, Obj, Picklist, Str } from "./valibot-types.ts";
import { finite, nonNegative } from "./_schema-numbers.ts";

/**
 * - `rank-test`: enough runs on both sides: the Mann–Whitney U test over them, their own spread;
 * - `noise-model`: too few runs for the rank test: the default noise model (an assumed run-to-run
 *   spread, or the one measured when larger, plus a percentile's sampling spread from its histogram);
 * - `faults`: a count of faults, which must stay at zero: any rise from none is worse, whatever the noise.
 */
export const DIFFERENCE_METHODS = ["rank-test", "noise-model", "faults"] as const;

/**
 * - `better` / `worse`: current against baseline, in the metric's better direction, beyond the noise and the tolerance;
 * - `same`: the interval reaches inside the tolerance;
 * - `too-few`: too few runs to call anything at the rule's confidence, and no default model was asked for (the matrix);
 * - `not-gated`: a single-sample figure (a maximum or a minimum) or the generator's send lag, shown but never called
 *   unless a tolerance names it;
 * - `unjudged`: a figure with no better direction.
 */
export const DIFFERENCE_CALLS = ["better", "worse", "same", "too-few", "not-gated", "unjudged"] as const;

const probability = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
type Probability = v.SchemaWithPipe<
  readonly [v.NumberSchema<undefined>, v.MinValueAction<number, 0, undefined>, v.MaxValueAction<number, 1, undefined>]
>;

export const DifferenceCallSchema: Obj<{
  readonly method: Picklist<typeof DIFFERENCE_METHODS>;
  readonly call: Picklist<typeof DIFFERENCE_CALLS>;
  readonly changePercent: Nullable<Finite>;
  readonly interval: Nullable<v.TupleSchema<[Finite, Finite], undefined>>;
  readonly confidence: Nullable<Probability>;
  readonly pValue: Nullable<Probability>;
  readonly tolerancePercent: NonNegative;
  readonly noisePercent: Nullable<NonNegative>;
  readonly samplingPercent: Nullable<NonNegative>;
}> = v.object({
  method: v.picklist(DIFFERENCE_METHODS),
  call: v.picklist(DIFFERENCE_CALLS),
  /** the estimated change of current over baseline in percent (Hodges–Lehmann, or the means' logarithms); null from a zero baseline */
  changePercent: v.nullable(finite),
  /** the change's confidence interval in percent; null when none can be formed (too few runs, a zero baseline) */
  interval: v.nullable(v.tuple([finite, finite])),
  /** the interval's confidence (the rank test's is discrete: a little above the one asked) */
  confidence: v.nullable(probability),
  /** two-sided: how likely a difference this large is from the noise alone */
  pValue: v.nullable(probability),
  /** a change inside ±this is the same (the minimum effect worth a call) */
  tolerancePercent: nonNegative,
  /** the run-to-run spread of one run's figure, in percent: measured over the runs (rank test), or assumed (noise model) */
  noisePercent: v.nullable(nonNegative),
  /** a percentile's own sampling spread from its histogram, in percent (noise model only) */
  samplingPercent: v.nullable(nonNegative),
});
export type DifferenceCall = v.InferOutput<typeof DifferenceCallSchema>;

/** The rule every call was made by (`analysis/noise-rule.ts`), with its settings. */
export const NoiseRuleSchema: Obj<{
  readonly test: Literal<"mann-whitney-u">;
  readonly confidence: NonNegative;
  readonly defaultTolerancePercent: NonNegative;
  readonly tolerances: v.RecordSchema<Str, NonNegative, undefined>;
  readonly assumedNoisePercent: NonNegative;
  readonly assumedTailNoisePercent: v.OptionalSchema<NonNegative, undefined>;
  readonly assumedEngineNoisePercent: v.OptionalSchema<NonNegative, undefined>;
  readonly whenTooFew: Picklist<["noise-model", "no-call"]>;
  readonly text: Str;
}> = v.object({
  /** over the runs of each side, when they are enough */
  test: v.literal("mann-whitney-u"),
  confidence: nonNegative,
  defaultTolerancePercent: nonNegative,
  /** per metric id, where set */
  tolerances: v.record(v.string(), nonNegative),
  /** the default noise model's run-to-run spread of one figure, for too few runs */
  assumedNoisePercent: nonNegative,
  /** the same for a p95 or a deeper percentile (earlier documents: a p99 or deeper; absent from the oldest: ±20 % then) */
  assumedTailNoisePercent: v.optional(nonNegative),
  /** the same for an engine-layer figure, which moves with the host's speed (absent from older documents: ±20 % then) */
  assumedEngineNoisePercent: v.optional(nonNegative),
  /** what too few runs get: the default noise model (compare) or no call (the matrix) */
  whenTooFew: v.picklist(["noise-model", "no-call"]),
  /** the rule in words */
  text: v.string(),
});
export type NoiseRule = v.InferOutput<typeof NoiseRuleSchema>;
