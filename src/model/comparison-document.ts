/**
 * @module
 * The comparison document `wsstress compare --json` writes, in valibot: the
 * rule it judged by, the runs on each side, and for every metric both sides
 * hold the figures of every run, the call, and how it was reached (the
 * spread, the p-value, the interval).
 *
 * @example
 * ```ts
 * import { parseComparison } from "./comparison-document.ts";
 * const c = parseComparison(JSON.parse(text)); // throws a ValiError naming the path of anything wrong
 * for (const row of c.rows.filter((r) => r.change === "regressed")) console.log(row.label, row.call.interval);
 * ```
 */
import * as v from "valibot";
import type { Finite, IntFrom, List, Literal, NonEmpty, Obj, Picklist, Str } from "./valibot-types.ts";
import { DifferenceCallSchema, NoiseRuleSchema } from "./difference-call.ts";
import { LayerSchema, SuiteNameSchema } from "./result-names.ts";
import { count, finite } from "./_schema-numbers.ts";

export const COMPARISON_SCHEMA_VERSION = 1;

/** One run compared: where it came from and what it ran on. */
export const ComparedRunSchema: Obj<{
  readonly file: v.OptionalSchema<Str, undefined>;
  readonly startedAt: Str;
  readonly runtime: Str;
  readonly server: Str;
  readonly status: Str;
}> = v.object({
  file: v.optional(v.string()),
  startedAt: v.string(),
  /** `node 24.21.0` */
  runtime: v.string(),
  /** the server's runtime, or its URL for a target */
  server: v.string(),
  status: v.string(),
});

export const CHANGES = ["improved", "same", "regressed", "not-gated", "unjudged"] as const;

export const ComparisonRowSchema: Obj<{
  readonly level: Str;
  readonly suite: typeof SuiteNameSchema;
  readonly layer: typeof LayerSchema;
  readonly key: Str;
  readonly label: Str;
  readonly unit: Str;
  readonly better: Picklist<["higher", "lower", "none"]>;
  readonly baseline: Finite;
  readonly current: Finite;
  readonly baselineRuns: NonEmpty<Finite>;
  readonly currentRuns: NonEmpty<Finite>;
  readonly source: Picklist<["metric", "histogram"]>;
  readonly change: Picklist<typeof CHANGES>;
  readonly call: typeof DifferenceCallSchema;
}> = v.object({
  level: v.string(),
  suite: SuiteNameSchema,
  layer: LayerSchema,
  key: v.string(),
  label: v.string(),
  unit: v.string(),
  better: v.picklist(["higher", "lower", "none"]),
  /** the median over the baseline runs */
  baseline: finite,
  /** the median over the current runs */
  current: finite,
  baselineRuns: v.pipe(v.array(finite), v.minLength(1)),
  currentRuns: v.pipe(v.array(finite), v.minLength(1)),
  /** `histogram`: every run's figure recomputed from its histogram */
  source: v.picklist(["metric", "histogram"]),
  /** the call in the comparison's words: better is improved, worse regressed */
  change: v.picklist(CHANGES),
  call: DifferenceCallSchema,
});
export type ComparisonRow = v.InferOutput<typeof ComparisonRowSchema>;

export const ComparisonSchema: Obj<{
  readonly schemaVersion: Literal<typeof COMPARISON_SCHEMA_VERSION>;
  readonly kind: Literal<"wsstress-comparison">;
  readonly tool: Obj<{ readonly name: Literal<"wsstress">; readonly version: Str }>;
  readonly rule: typeof NoiseRuleSchema;
  readonly baselines: NonEmpty<typeof ComparedRunSchema>;
  readonly currents: NonEmpty<typeof ComparedRunSchema>;
  readonly rows: List<typeof ComparisonRowSchema>;
  readonly improved: IntFrom<0>;
  readonly same: IntFrom<0>;
  readonly regressed: IntFrom<0>;
  readonly notGated: IntFrom<0>;
  readonly unknowns: List<Str>;
  readonly onlyInBaseline: List<Str>;
  readonly onlyInCurrent: List<Str>;
  readonly caveats: List<Str>;
}> = v.object({
  schemaVersion: v.literal(COMPARISON_SCHEMA_VERSION),
  kind: v.literal("wsstress-comparison"),
  tool: v.object({ name: v.literal("wsstress"), version: v.string() }),
  rule: NoiseRuleSchema,
  baselines: v.pipe(v.array(ComparedRunSchema), v.minLength(1)),
  currents: v.pipe(v.array(ComparedRunSchema), v.minLength(1)),
  rows: v.array(ComparisonRowSchema),
  improved: count,
  same: count,
  regressed: count,
  /** single-sample figures shown and not called (exit 1 only on `regressed`) */
  notGated: count,
  /** what these runs cannot tell, e.g. the spread between runs when there is one of each */
  unknowns: v.array(v.string()),
  /** levels and suites only one side holds, e.g. `level high`, `medium compression` */
  onlyInBaseline: v.array(v.string()),
  onlyInCurrent: v.array(v.string()),
  /** differences in how the runs were made that weaken the comparison */
  caveats: v.array(v.string()),
});
export type Comparison = v.InferOutput<typeof ComparisonSchema>;

/** Validates a comparison document; throws a `v.ValiError` whose issues carry the path. */
export function parseComparison(input: unknown): Comparison {
  return v.parse(ComparisonSchema, input);
}
