/**
 * The result schema of one level: metrics and their thresholds, latency
 * histograms, error counts, the generator's load, suites and levels. See
 * `result.ts`, which re-exports all of it.
 */
import * as v from "valibot";
import type { Bool, Finite, IntFrom, List, NonNegative, Obj, Picklist, Str, Timestamp } from "./valibot-types.ts";
import { LevelSchema } from "./levels.ts";
import { count, finite, nonNegative } from "./_schema-numbers.ts";
import { LayerSchema, SuiteIdSchema, VerdictSchema } from "./result-names.ts";
import { FactSchema } from "./facts.ts";
import { HistogramJsonSchema } from "./histogram.ts";
import { LevelConformanceSchema } from "./conformance-under-load.ts";
/**
 * higher is better: value > excellent passes, > good warns, else fails.
 * lower is better: value < excellent passes, < good warns, else fails.
 */
export const ThresholdSchema: v.SchemaWithPipe<
  readonly [
    Obj<{ readonly better: Picklist<["higher", "lower"]>; readonly excellent: Finite; readonly good: Finite }>,
    v.CheckAction<{ better: "higher" | "lower"; excellent: number; good: number }, string>,
  ]
> = v.pipe(
  v.object({
    better: v.picklist(["higher", "lower"]),
    excellent: finite,
    good: finite,
  }),
  v.check(
    (t) => (t.better === "higher" ? t.excellent >= t.good : t.excellent <= t.good),
    "excellent must be at least as strict as good",
  ),
);
export type Threshold = v.InferOutput<typeof ThresholdSchema>;

export const MetricSchema: Obj<{
  readonly key: v.SchemaWithPipe<readonly [Str, v.RegexAction<string, undefined>]>;
  readonly label: Str;
  readonly layer: typeof LayerSchema;
  readonly unit: Str;
  readonly value: Finite;
  readonly better: Picklist<["higher", "lower", "none"]>;
  readonly verdict: typeof VerdictSchema;
  readonly threshold: v.OptionalSchema<typeof ThresholdSchema, undefined>;
}> = v.object({
  /** short key, unique within its suite and layer, e.g. `rtt_p95` */
  key: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]*$/)),
  label: v.string(),
  layer: LayerSchema,
  unit: v.string(),
  value: finite,
  better: v.picklist(["higher", "lower", "none"]),
  verdict: VerdictSchema,
  threshold: v.optional(ThresholdSchema),
});
export type Metric = v.InferOutput<typeof MetricSchema>;

export const ErrorCountSchema: Obj<{
  readonly class: Str;
  readonly count: v.SchemaWithPipe<readonly [IntFrom<0>, v.MinValueAction<number, 1, undefined>]>;
  readonly message: Str;
}> = v.object({
  /** e.g. connect_failed, timeout, bad_reply, lost, duplicate, wrong_allow */
  class: v.string(),
  count: v.pipe(count, v.minValue(1)),
  /** the first message seen for this class */
  message: v.string(),
});
export type ErrorCount = v.InferOutput<typeof ErrorCountSchema>;

/** How loaded the load generator was during a wire layer: the busiest process's CPU and lag. */
export const GeneratorSchema: Obj<{
  readonly processes: IntFrom<1>;
  readonly cpuPct: NonNegative;
  readonly lagP99Ms: NonNegative;
  readonly lagMaxMs: NonNegative;
  readonly maxRssBytes: NonNegative;
  readonly cpuWaitPct: v.OptionalSchema<NonNegative, undefined>;
  readonly bound: Bool;
}> = v.object({
  processes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** CPU time over wall time of the busiest generator process, % of one core */
  cpuPct: nonNegative,
  lagP99Ms: nonNegative,
  lagMaxMs: nonNegative,
  /** sum of the generator processes' RSS high-water marks */
  maxRssBytes: nonNegative,
  /**
   * the most any generator process spent ready to run but waiting for a core, % of wall time (Linux only): high means
   * the machine, not the generator's own work, held it back
   */
  cpuWaitPct: v.optional(nonNegative),
  /** the generator itself was saturated: these figures show its limit, not the server's */
  bound: v.boolean(),
});
export type Generator = v.InferOutput<typeof GeneratorSchema>;

/** What a level took from the machine, across every process of the run. */
export const ResourcesSchema: Obj<{
  readonly peakRssBytes: NonNegative;
  readonly peakSockets: IntFrom<0>;
  readonly serverProcesses: IntFrom<0>;
  readonly workerProcesses: IntFrom<0>;
}> = v.object({
  /** sum of the RSS high-water marks of every process: generator, workers, servers */
  peakRssBytes: nonNegative,
  /** the most sockets the servers counted open at once */
  peakSockets: count,
  serverProcesses: count,
  workerProcesses: count,
});
export type Resources = v.InferOutput<typeof ResourcesSchema>;

export const SuiteResultSchema: Obj<{
  readonly suite: typeof SuiteIdSchema;
  readonly status: Picklist<["ok", "failed", "aborted", "skipped"]>;
  readonly reason: v.OptionalSchema<Str, undefined>;
  readonly durationMs: NonNegative;
  readonly metrics: List<typeof MetricSchema>;
  readonly histograms: v.RecordSchema<Str, typeof HistogramJsonSchema, undefined>;
  readonly errors: List<typeof ErrorCountSchema>;
  readonly notes: List<Str>;
  readonly verdict: typeof VerdictSchema;
  readonly generator: v.OptionalSchema<typeof GeneratorSchema, undefined>;
  readonly facts: v.OptionalSchema<List<typeof FactSchema>, undefined>;
}> = v.object({
  suite: SuiteIdSchema,
  /**
   * ok: finished; failed: threw part-way, measured nothing of what it exists for, or the server closed every
   * connection under it (metrics hold what was measured; see reason); aborted: stopped by the caller, judged on what
   * it saw before the stop; skipped: the protocol profile cannot express it (see reason)
   */
  status: v.picklist(["ok", "failed", "aborted", "skipped"]),
  /** why a skipped suite did not run, or why a failed one failed */
  reason: v.optional(v.string()),
  durationMs: nonNegative,
  metrics: v.array(MetricSchema),
  histograms: v.record(v.string(), HistogramJsonSchema),
  errors: v.array(ErrorCountSchema),
  notes: v.array(v.string()),
  verdict: VerdictSchema,
  generator: v.optional(GeneratorSchema),
  /** a shard's raw facts, so `wsstress merge` recomputes every figure exactly (sharded runs only) */
  facts: v.optional(v.array(FactSchema)),
});
export type SuiteResult = v.InferOutput<typeof SuiteResultSchema>;

export const LevelResultSchema: Obj<{
  readonly level: typeof LevelSchema;
  readonly startedAt: Timestamp;
  readonly durationMs: NonNegative;
  readonly suites: List<typeof SuiteResultSchema>;
  readonly verdict: typeof VerdictSchema;
  readonly generatorBound: v.OptionalSchema<Bool, undefined>;
  readonly resources: v.OptionalSchema<typeof ResourcesSchema, undefined>;
  readonly conformance: v.OptionalSchema<typeof LevelConformanceSchema, undefined>;
}> = v.object({
  level: LevelSchema,
  startedAt: v.pipe(v.string(), v.isoTimestamp()),
  durationMs: nonNegative,
  suites: v.array(SuiteResultSchema),
  verdict: VerdictSchema,
  /** some suite of this level was limited by the load generator, not the server */
  generatorBound: v.optional(v.boolean()),
  resources: v.optional(ResourcesSchema),
  /** --conform: the conformance sample run on extra connections while this level's suites ran */
  conformance: v.optional(LevelConformanceSchema),
});
export type LevelResult = v.InferOutput<typeof LevelResultSchema>;
