/**
 * @module
 * A user's scenario as a plan records it: its name (which names its suite in
 * results and its metrics `name.wire.key`), the module worker processes load
 * it from, how its virtual users arrive, and the metrics it declares, with
 * their labels, units and thresholds. A result keeps all of it, so `wsstress
 * merge`, `compare` and `report` judge a scenario's figures without loading
 * its module.
 */
import * as v from "valibot";
import type { IntFrom, Literal, NonEmpty, NonNegative, Obj, Optional, Picklist, Str } from "./valibot-types.ts";
import { count, nonNegative, positiveCount } from "./_schema-numbers.ts";
import { ThresholdSchema } from "./level-result.ts";
import { SCENARIO_NAME } from "./result-names.ts";

/** A metric key a scenario declares: what `vu.metric(name)` names. */
export const USER_METRIC_NAME: RegExp = /^[a-z][a-z0-9_]{0,47}$/;

/** At most a day: every load loop is bounded in time. */
export const MAX_STAGE_MS = 86_400_000;

/** `counter` adds up; `histogram` keeps every value (p50/p95/p99/max); `rate` is the share of adds that were true, in %. */
export const UserMetricSchema: Obj<{
  readonly kind: Picklist<["counter", "histogram", "rate"]>;
  readonly label: Str;
  readonly unit: Str;
  readonly better: Picklist<["higher", "lower", "none"]>;
  readonly threshold: Optional<typeof ThresholdSchema>;
}> = v.object({
  kind: v.picklist(["counter", "histogram", "rate"]),
  label: v.string(),
  unit: v.string(),
  better: v.picklist(["higher", "lower", "none"]),
  /** judges the count, the p99, or the rate */
  threshold: v.optional(ThresholdSchema),
});
export type UserMetric = v.InferOutput<typeof UserMetricSchema>;

const StageSchema = v.object({
  durationMs: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_STAGE_MS)),
  /** arrivals per second, or live virtual users, reached at the stage's end (linearly from the previous stage's) */
  target: nonNegative,
});
type Stage = Obj<{
  readonly durationMs: v.SchemaWithPipe<
    readonly [
      v.NumberSchema<undefined>,
      v.IntegerAction<number, undefined>,
      v.MinValueAction<number, 1, undefined>,
      v.MaxValueAction<number, 86_400_000, undefined>,
    ]
  >;
  readonly target: NonNegative;
}>;

/**
 * How virtual users come: `closed` (the level's connections, each running its
 * iterations), `arrival-rate` (an open model: new virtual users per second,
 * each on a connection of its own, whether or not earlier ones finished), or
 * `ramping-vus` (the number of live virtual users follows the stages).
 */
export const LoadModelSchema: v.VariantSchema<"executor", [
  Obj<{ readonly executor: Literal<"closed"> }>,
  Obj<{ readonly executor: Literal<"arrival-rate">; readonly start: NonNegative; readonly stages: NonEmpty<Stage> }>,
  Obj<{ readonly executor: Literal<"ramping-vus">; readonly start: IntFrom<0>; readonly stages: NonEmpty<Stage> }>,
], undefined> = v.variant("executor", [
  v.object({ executor: v.literal("closed") }),
  v.object({ executor: v.literal("arrival-rate"), start: nonNegative, stages: v.pipe(v.array(StageSchema), v.minLength(1)) }),
  v.object({ executor: v.literal("ramping-vus"), start: count, stages: v.pipe(v.array(StageSchema), v.minLength(1)) }),
]);
export type LoadModel = v.InferOutput<typeof LoadModelSchema>;

export const ScenarioRefSchema: Obj<{
  readonly name: v.SchemaWithPipe<readonly [Str, v.RegexAction<string, string>]>;
  readonly module: Optional<Str>;
  readonly load: typeof LoadModelSchema;
  readonly iterations: Optional<IntFrom<1>>;
  readonly durationMs: Optional<IntFrom<1>>;
  readonly inbox: IntFrom<1>;
  readonly role: Optional<Picklist<["subscriber", "publisher", "admin"]>>;
  readonly metrics: v.RecordSchema<v.SchemaWithPipe<readonly [Str, v.RegexAction<string, string>]>, typeof UserMetricSchema, undefined>;
}> = v.object({
  name: v.pipe(v.string(), v.regex(SCENARIO_NAME, "a scenario name is lower-case letters, digits, _ or -, starting with a letter")),
  /** where a worker process loads it from: the module's absolute path or URL; absent for a scenario given in code */
  module: v.optional(v.string()),
  load: LoadModelSchema,
  /** each virtual user's iterations; absent: the level's messages per connection (closed), 1 (arrival-rate), the stages (ramping-vus) */
  iterations: v.optional(positiveCount),
  /** each virtual user iterates for this long instead of a count (closed model) */
  durationMs: v.optional(positiveCount),
  /** server pushes buffered per virtual user while it does something else; the overflow is counted */
  inbox: positiveCount,
  /** the role whose token every virtual user authenticates with when its connection opens */
  role: v.optional(v.picklist(["subscriber", "publisher", "admin"])),
  /** what `vu.metric(name)` records, by name */
  metrics: v.record(v.pipe(v.string(), v.regex(USER_METRIC_NAME, "a metric name is lower-case letters, digits or _")), UserMetricSchema),
});
export type ScenarioRef = v.InferOutput<typeof ScenarioRefSchema>;
