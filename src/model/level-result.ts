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
  readonly samples: v.OptionalSchema<IntFrom<0>, undefined>;
  readonly unjudged: v.OptionalSchema<Str, undefined>;
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
  /** the events or latency samples behind a rate or a percentile */
  samples: v.optional(count),
  /**
   * why a metric with a threshold was shown but not judged (verdict none): too few samples, a throughput bound by
   * the level's own concurrency, or a figure limited by the load generator that did not pass anyway
   */
  unjudged: v.optional(v.string()),
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

/** How loaded the busiest load process was during one phase of a wire layer. */
export const PhaseLoadSchema: Obj<{
  readonly cpuPct: NonNegative;
  readonly lagP99Ms: NonNegative;
  readonly cpuWaitPct: v.OptionalSchema<NonNegative, undefined>;
}> = v.object({
  /** CPU time over wall time of the busiest load process during the phase, % of one core */
  cpuPct: nonNegative,
  /** how late its 20 ms timer fired, p99 */
  lagP99Ms: nonNegative,
  /** ready to run but waiting for a core, % of wall time (Linux only) */
  cpuWaitPct: v.optional(nonNegative),
});
export type PhaseLoad = v.InferOutput<typeof PhaseLoadSchema>;

/** The phases of a wire layer whose figures the generator can limit: the closed loop's capacity, the paced latency at load. */
export const GeneratorPhaseSchema: Picklist<["capacity", "latency"]> = v.picklist(["capacity", "latency"]);
export type GeneratorPhase = v.InferOutput<typeof GeneratorPhaseSchema>;

type PhaseLoads = Obj<{
  readonly capacity: v.OptionalSchema<typeof PhaseLoadSchema, undefined>;
  readonly latency: v.OptionalSchema<typeof PhaseLoadSchema, undefined>;
}>;
/** each phase's load by name: an object of the phases (a record keyed by a picklist has no JSON Schema) */
const PhaseLoadsSchema: PhaseLoads = v.object({ capacity: v.optional(PhaseLoadSchema), latency: v.optional(PhaseLoadSchema) });

/** One reason the generator, not the server, may have limited a phase's figures (the rule: `analysis/generator-bound.ts`). */
export const BoundBySchema: Obj<{
  readonly phase: typeof GeneratorPhaseSchema;
  readonly cause: Picklist<["cpu", "loop_lag", "send_lag"]>;
  readonly value: NonNegative;
  readonly sharePct: v.OptionalSchema<NonNegative, undefined>;
  readonly of: v.OptionalSchema<Str, undefined>;
}> = v.object({
  phase: GeneratorPhaseSchema,
  /** cpu: a load process used nearly a whole core; loop_lag, send_lag: it ran late, on its timers or behind its send schedule */
  cause: v.picklist(["cpu", "loop_lag", "send_lag"]),
  /** % of a core for cpu, ms at p99 for a lag */
  value: nonNegative,
  /** a lag as a share of the latency it was part of, % */
  sharePct: v.optional(nonNegative),
  /** the metric key of that latency, e.g. rtt_p99_ms */
  of: v.optional(v.string()),
});
export type BoundBy = v.InferOutput<typeof BoundBySchema>;

/** How loaded the load generator was during a wire layer: the busiest process's CPU and lag, overall and per phase. */
export const GeneratorSchema: Obj<{
  readonly processes: IntFrom<1>;
  readonly cpuPct: NonNegative;
  readonly lagP99Ms: NonNegative;
  readonly lagMaxMs: NonNegative;
  readonly maxRssBytes: NonNegative;
  readonly cpuWaitPct: v.OptionalSchema<NonNegative, undefined>;
  readonly phases: v.OptionalSchema<PhaseLoads, undefined>;
  readonly bound: Bool;
  readonly boundBy: v.OptionalSchema<List<typeof BoundBySchema>, undefined>;
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
  /** the busiest load process in each phase the suite ran: capacity (closed loop), latency (paced) */
  phases: v.optional(PhaseLoadsSchema),
  /** the generator's own delay was a visible share of what a phase measured: see boundBy */
  bound: v.boolean(),
  /** what bound it, phase by phase */
  boundBy: v.optional(v.array(BoundBySchema)),
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
