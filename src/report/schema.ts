/**
 * @module
 * The result document, in valibot: the single source of truth. Types are
 * inferred from these schemas, and the JSON Schema is generated from them.
 * Every result is validated with `parseResult` before it is written and
 * whenever one is read back.
 */
import * as v from "valibot";
import type { Bool, Finite, IntFrom, List, NonNegative, Num, Obj, Picklist, Str, Timestamp } from "../core/_schema-types.ts";
import { LevelSchema } from "../core/levels.ts";

export const SCHEMA_VERSION = 1;

// Every schema carries its valibot type: JSR refuses inferred ones in the public API
// (see core/_schema-types.ts). The document types are still `v.InferOutput` of the schemas.

export const SUITE_NAMES = ["connection", "message", "subscription", "broadcast", "permission", "compression"] as const;
export const SuiteNameSchema: v.PicklistSchema<typeof SUITE_NAMES, undefined> = v.picklist(SUITE_NAMES);
export type SuiteName = v.InferOutput<typeof SuiteNameSchema>;

/** ✅ pass, ⚠️ warn, ❌ fail; `none` for a figure that has no threshold. */
export const VerdictSchema: Picklist<["pass", "warn", "fail", "none"]> = v.picklist(["pass", "warn", "fail", "none"]);
export type Verdict = v.InferOutput<typeof VerdictSchema>;

export const LayerSchema: Picklist<["wire", "engine"]> = v.picklist(["wire", "engine"]);
export type Layer = v.InferOutput<typeof LayerSchema>;

const finite: Finite = v.pipe(v.number(), v.finite());
const nonNegative: NonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const count: IntFrom<0> = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * higher is better: value > excellent passes, > good warns, else fails.
 * lower is better: value < excellent passes, < good warns, else fails.
 */
export const ThresholdSchema: v.SchemaWithPipe<readonly [
  Obj<{ readonly better: Picklist<["higher", "lower"]>; readonly excellent: Finite; readonly good: Finite }>,
  v.CheckAction<{ better: "higher" | "lower"; excellent: number; good: number }, string>,
]> = v.pipe(
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

/** Log-linear histogram of nanosecond values; see `core/histogram.ts`. */
export const HistogramJsonSchema: Obj<{
  readonly subBucketBits: v.SchemaWithPipe<
    readonly [Num, v.IntegerAction<number, undefined>, v.MinValueAction<number, 1, undefined>, v.MaxValueAction<number, 16, undefined>]
  >;
  readonly count: IntFrom<0>;
  readonly min: NonNegative;
  readonly max: NonNegative;
  readonly sum: NonNegative;
  readonly buckets: List<v.TupleSchema<[IntFrom<0>, v.SchemaWithPipe<readonly [IntFrom<0>, v.MinValueAction<number, 1, undefined>]>], undefined>>;
}> = v.object({
  subBucketBits: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16)),
  count,
  min: nonNegative,
  max: nonNegative,
  sum: nonNegative,
  /** [bucket index, count] pairs for the non-empty buckets, ascending */
  buckets: v.array(v.tuple([count, v.pipe(count, v.minValue(1))])),
});
export type HistogramJson = v.InferOutput<typeof HistogramJsonSchema>;

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
  readonly bound: Bool;
}> = v.object({
  processes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** CPU time over wall time of the busiest generator process, % of one core */
  cpuPct: nonNegative,
  lagP99Ms: nonNegative,
  lagMaxMs: nonNegative,
  /** sum of the generator processes' RSS high-water marks */
  maxRssBytes: nonNegative,
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
  readonly suite: typeof SuiteNameSchema;
  readonly status: Picklist<["ok", "failed", "aborted"]>;
  readonly durationMs: NonNegative;
  readonly metrics: List<typeof MetricSchema>;
  readonly histograms: v.RecordSchema<Str, typeof HistogramJsonSchema, undefined>;
  readonly errors: List<typeof ErrorCountSchema>;
  readonly notes: List<Str>;
  readonly verdict: typeof VerdictSchema;
  readonly generator: v.OptionalSchema<typeof GeneratorSchema, undefined>;
}> = v.object({
  suite: SuiteNameSchema,
  /** ok: finished; failed: threw part-way (metrics hold what was measured); aborted: stopped by the caller */
  status: v.picklist(["ok", "failed", "aborted"]),
  durationMs: nonNegative,
  metrics: v.array(MetricSchema),
  histograms: v.record(v.string(), HistogramJsonSchema),
  errors: v.array(ErrorCountSchema),
  notes: v.array(v.string()),
  verdict: VerdictSchema,
  generator: v.optional(GeneratorSchema),
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
}> = v.object({
  level: LevelSchema,
  startedAt: v.pipe(v.string(), v.isoTimestamp()),
  durationMs: nonNegative,
  suites: v.array(SuiteResultSchema),
  verdict: VerdictSchema,
  /** some suite of this level was limited by the load generator, not the server */
  generatorBound: v.optional(v.boolean()),
  resources: v.optional(ResourcesSchema),
});
export type LevelResult = v.InferOutput<typeof LevelResultSchema>;

export const DegradationSchema: Obj<{
  readonly suite: typeof SuiteNameSchema;
  readonly layer: typeof LayerSchema;
  readonly key: Str;
  readonly label: Str;
  readonly bottomLevel: Str;
  readonly topLevel: Str;
  readonly bottom: Finite;
  readonly top: Finite;
  readonly percent: Finite;
  readonly verdict: typeof VerdictSchema;
}> = v.object({
  suite: SuiteNameSchema,
  layer: LayerSchema,
  key: v.string(),
  label: v.string(),
  bottomLevel: v.string(),
  topLevel: v.string(),
  bottom: finite,
  top: finite,
  /** (1 − top / bottom) × 100 for throughput; negative means it improved with load */
  percent: finite,
  verdict: VerdictSchema,
});
export type Degradation = v.InferOutput<typeof DegradationSchema>;

export const AnalysisSchema: Obj<{
  readonly degradation: List<typeof DegradationSchema>;
  readonly bottleneck: v.NullableSchema<
    Obj<{
      readonly suite: typeof SuiteNameSchema;
      readonly layer: typeof LayerSchema;
      readonly key: Str;
      readonly percent: Finite;
      readonly cause: Str;
    }>,
    undefined
  >;
  readonly recommendations: List<Obj<{ readonly severity: typeof VerdictSchema; readonly text: Str }>>;
}> = v.object({
  degradation: v.array(DegradationSchema),
  bottleneck: v.nullable(
    v.object({ suite: SuiteNameSchema, layer: LayerSchema, key: v.string(), percent: finite, cause: v.string() }),
  ),
  recommendations: v.array(v.object({ severity: VerdictSchema, text: v.string() })),
});
export type Analysis = v.InferOutput<typeof AnalysisSchema>;

export const PlanSchema: Obj<{
  readonly levels: List<typeof LevelSchema>;
  readonly suites: List<typeof SuiteNameSchema>;
  readonly thresholds: v.RecordSchema<Str, typeof ThresholdSchema, undefined>;
  readonly window: IntFrom<1>;
  readonly timeoutMs: IntFrom<1>;
  readonly warmup: Bool;
  readonly target: v.OptionalSchema<Str, undefined>;
  readonly connectionsPerProcess: v.OptionalSchema<IntFrom<1>, undefined>;
  readonly rate: v.OptionalSchema<v.SchemaWithPipe<readonly [Num, v.FiniteAction<number, undefined>, v.GtValueAction<number, 0, undefined>]>, undefined>;
  readonly onError: v.OptionalSchema<Picklist<["continue", "stop"]>, undefined>;
}> = v.object({
  levels: v.array(LevelSchema),
  suites: v.array(SuiteNameSchema),
  /** overrides by `suite.layer.key`, e.g. `message.wire.rtt_p99_ms` */
  thresholds: v.record(v.string(), ThresholdSchema),
  /** messages in flight per connection in the message suite's closed loop */
  window: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** upper bound on any single wait (handshake, reply, drain), ms */
  timeoutMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** an untimed pass of every suite at a tiny level first, so no level is measured on cold JIT code */
  warmup: v.boolean(),
  /** the server under test when it is not the embedded one */
  target: v.optional(v.string()),
  /** most connections one process (load worker or server) holds; a level beyond it is spread over processes (15,000 when absent) */
  connectionsPerProcess: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** open loop: messages per second over all connections in the message suite, timed from their intended send time; closed loop when absent */
  rate: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0))),
  /** after a suite that failed: run the rest (continue, the default when absent) or end the run there, status partial (stop) */
  onError: v.optional(v.picklist(["continue", "stop"])),
});
export type Plan = v.InferOutput<typeof PlanSchema>;

/** The machine a run or a matrix ran on. */
export const MachineSchema: Obj<{
  readonly os: Str;
  readonly arch: Str;
  readonly cpuModel: Str;
  readonly cores: IntFrom<1>;
  readonly memoryBytes: NonNegative;
}> = v.object({
  os: v.string(),
  arch: v.string(),
  cpuModel: v.string(),
  cores: v.pipe(v.number(), v.integer(), v.minValue(1)),
  memoryBytes: nonNegative,
});

export const ResultSchema: Obj<{
  readonly schemaVersion: v.LiteralSchema<typeof SCHEMA_VERSION, undefined>;
  readonly tool: Obj<{ readonly name: v.LiteralSchema<"wsstress", undefined>; readonly version: Str }>;
  readonly runtime: Obj<{ readonly name: Str; readonly version: Str }>;
  readonly machine: typeof MachineSchema;
  readonly server: Obj<{ readonly url: Str; readonly runtime: Str; readonly embedded: Bool; readonly perMessageDeflate: Bool }>;
  readonly plan: typeof PlanSchema;
  readonly startedAt: Timestamp;
  readonly finishedAt: Timestamp;
  readonly durationMs: NonNegative;
  readonly status: Picklist<["complete", "partial", "aborted"]>;
  readonly levels: List<typeof LevelResultSchema>;
  readonly analysis: typeof AnalysisSchema;
  readonly verdict: typeof VerdictSchema;
}> = v.object({
  schemaVersion: v.literal(SCHEMA_VERSION),
  tool: v.object({ name: v.literal("wsstress"), version: v.string() }),
  runtime: v.object({ name: v.string(), version: v.string() }),
  machine: MachineSchema,
  server: v.object({
    url: v.string(),
    runtime: v.string(),
    /** started by wsstress (in its own process) rather than a user's target */
    embedded: v.boolean(),
    perMessageDeflate: v.boolean(),
  }),
  plan: PlanSchema,
  startedAt: v.pipe(v.string(), v.isoTimestamp()),
  finishedAt: v.pipe(v.string(), v.isoTimestamp()),
  durationMs: nonNegative,
  /** complete: every planned level ran; partial: a failure or an abort stopped it early */
  status: v.picklist(["complete", "partial", "aborted"]),
  levels: v.array(LevelResultSchema),
  analysis: AnalysisSchema,
  verdict: VerdictSchema,
});
export type Result = v.InferOutput<typeof ResultSchema>;

/** Validates a result document; throws a `v.ValiError` whose issues carry the path. */
export function parseResult(input: unknown): Result {
  return v.parse(ResultSchema, input);
}
