/**
 * @module
 * The result document, in valibot: the single source of truth. Types are
 * inferred from these schemas, and the JSON Schema is generated from them.
 * Every result is validated with `parseResult` before it is written and
 * whenever one is read back.
 */
import * as v from "valibot";
import { LevelSchema } from "../core/levels.ts";

export const SCHEMA_VERSION = 1;

export const SUITE_NAMES = ["connection", "message", "subscription", "broadcast", "permission", "compression"] as const;
export const SuiteNameSchema = v.picklist(SUITE_NAMES);
export type SuiteName = v.InferOutput<typeof SuiteNameSchema>;

/** ✅ pass, ⚠️ warn, ❌ fail; `none` for a figure that has no threshold. */
export const VerdictSchema = v.picklist(["pass", "warn", "fail", "none"]);
export type Verdict = v.InferOutput<typeof VerdictSchema>;

export const LayerSchema = v.picklist(["wire", "engine"]);
export type Layer = v.InferOutput<typeof LayerSchema>;

const finite = v.pipe(v.number(), v.finite());
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * higher is better: value > excellent passes, > good warns, else fails.
 * lower is better: value < excellent passes, < good warns, else fails.
 */
export const ThresholdSchema = v.pipe(
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

export const MetricSchema = v.object({
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
export const HistogramJsonSchema = v.object({
  subBucketBits: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16)),
  count,
  min: nonNegative,
  max: nonNegative,
  sum: nonNegative,
  /** [bucket index, count] pairs for the non-empty buckets, ascending */
  buckets: v.array(v.tuple([count, v.pipe(count, v.minValue(1))])),
});
export type HistogramJson = v.InferOutput<typeof HistogramJsonSchema>;

export const ErrorCountSchema = v.object({
  /** e.g. connect_failed, timeout, bad_reply, lost, duplicate, wrong_allow */
  class: v.string(),
  count: v.pipe(count, v.minValue(1)),
  /** the first message seen for this class */
  message: v.string(),
});
export type ErrorCount = v.InferOutput<typeof ErrorCountSchema>;

export const SuiteResultSchema = v.object({
  suite: SuiteNameSchema,
  /** ok: finished; failed: threw part-way (metrics hold what was measured); aborted: stopped by the caller */
  status: v.picklist(["ok", "failed", "aborted"]),
  durationMs: nonNegative,
  metrics: v.array(MetricSchema),
  histograms: v.record(v.string(), HistogramJsonSchema),
  errors: v.array(ErrorCountSchema),
  notes: v.array(v.string()),
  verdict: VerdictSchema,
});
export type SuiteResult = v.InferOutput<typeof SuiteResultSchema>;

export const LevelResultSchema = v.object({
  level: LevelSchema,
  startedAt: v.pipe(v.string(), v.isoTimestamp()),
  durationMs: nonNegative,
  suites: v.array(SuiteResultSchema),
  verdict: VerdictSchema,
});
export type LevelResult = v.InferOutput<typeof LevelResultSchema>;

export const DegradationSchema = v.object({
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

export const AnalysisSchema = v.object({
  degradation: v.array(DegradationSchema),
  bottleneck: v.nullable(
    v.object({ suite: SuiteNameSchema, layer: LayerSchema, key: v.string(), percent: finite, cause: v.string() }),
  ),
  recommendations: v.array(v.object({ severity: VerdictSchema, text: v.string() })),
});
export type Analysis = v.InferOutput<typeof AnalysisSchema>;

export const PlanSchema = v.object({
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
});
export type Plan = v.InferOutput<typeof PlanSchema>;

export const ResultSchema = v.object({
  schemaVersion: v.literal(SCHEMA_VERSION),
  tool: v.object({ name: v.literal("wsstress"), version: v.string() }),
  runtime: v.object({ name: v.string(), version: v.string() }),
  machine: v.object({
    os: v.string(),
    arch: v.string(),
    cpuModel: v.string(),
    cores: v.pipe(v.number(), v.integer(), v.minValue(1)),
    memoryBytes: nonNegative,
  }),
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
