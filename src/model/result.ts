/**
 * @module
 * The result document, in valibot: the single source of truth. Types are
 * inferred from these schemas, and the JSON Schema is generated from them.
 * Every result is validated with `parseResult` before it is written and
 * whenever one is read back.
 */
import * as v from "valibot";
import type { Bool, Finite, IntFrom, List, NonNegative, Obj, Picklist, Str, Timestamp } from "./valibot-types.ts";
import { LevelResultSchema } from "./level-result.ts";
import { finite, nonNegative } from "./_schema-numbers.ts";
import { LayerSchema, SuiteIdSchema, VerdictSchema } from "./result-names.ts";
import { MergedSchema, ShardSchema } from "./sharding.ts";
import { PlanSchema } from "./plan.ts";
import { RunConformanceSchema } from "./conformance-under-load.ts";

export * from "./result-names.ts";
export * from "./level-result.ts";
export * from "./sharding.ts";
export * from "./plan.ts";
export { type Fact, FactSchema } from "./facts.ts";
export * from "./scenario-plan.ts";
export { type HistogramJson, HistogramJsonSchema } from "./histogram.ts";
export * from "./conformance-under-load.ts";

/**
 * 2: a suite may be a user's scenario (its name, with metrics of its own,
 * recorded in `plan.scenarios`). Version 1 documents are read as they are:
 * everything they hold means what it did.
 */
export const SCHEMA_VERSION = 2;
/** the versions this wsstress reads */
export const READABLE_SCHEMA_VERSIONS = [1, 2] as const;

export const DegradationSchema: Obj<{
  readonly suite: typeof SuiteIdSchema;
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
  suite: SuiteIdSchema,
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
      readonly suite: typeof SuiteIdSchema;
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
    v.object({ suite: SuiteIdSchema, layer: LayerSchema, key: v.string(), percent: finite, cause: v.string() }),
  ),
  recommendations: v.array(v.object({ severity: VerdictSchema, text: v.string() })),
});
export type Analysis = v.InferOutput<typeof AnalysisSchema>;

export const HandshakeSchema: Obj<{
  readonly perMessageDeflate: Picklist<["negotiated", "declined", "not offered"]>;
  readonly extensions: Str;
  readonly subprotocol: Str;
}> = v.object({
  /** offered and accepted, offered and refused, or not offered (the client runtime cannot) */
  perMessageDeflate: v.picklist(["negotiated", "declined", "not offered"]),
  /** Sec-WebSocket-Extensions as the server answered it */
  extensions: v.string(),
  /** the subprotocol the server chose ("" for none) */
  subprotocol: v.string(),
});

export type Handshake = v.InferOutput<typeof HandshakeSchema>;

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
  readonly schemaVersion: Picklist<typeof READABLE_SCHEMA_VERSIONS>;
  readonly tool: Obj<{ readonly name: v.LiteralSchema<"wsstress", undefined>; readonly version: Str }>;
  readonly runtime: Obj<{ readonly name: Str; readonly version: Str }>;
  readonly machine: typeof MachineSchema;
  readonly server: Obj<
    {
      readonly url: Str;
      readonly runtime: Str;
      readonly embedded: Bool;
      readonly perMessageDeflate: Bool;
      readonly handshake: v.OptionalSchema<typeof HandshakeSchema, undefined>;
    }
  >;
  readonly plan: typeof PlanSchema;
  readonly startedAt: Timestamp;
  readonly finishedAt: Timestamp;
  readonly durationMs: NonNegative;
  readonly status: Picklist<["complete", "partial", "aborted"]>;
  readonly levels: List<typeof LevelResultSchema>;
  readonly warmup: v.OptionalSchema<typeof LevelResultSchema, undefined>;
  readonly analysis: typeof AnalysisSchema;
  readonly verdict: typeof VerdictSchema;
  readonly shard: v.OptionalSchema<typeof ShardSchema, undefined>;
  readonly merged: v.OptionalSchema<typeof MergedSchema, undefined>;
  readonly conformance: v.OptionalSchema<typeof RunConformanceSchema, undefined>;
}> = v.object({
  schemaVersion: v.picklist(READABLE_SCHEMA_VERSIONS),
  tool: v.object({ name: v.literal("wsstress"), version: v.string() }),
  runtime: v.object({ name: v.string(), version: v.string() }),
  machine: MachineSchema,
  server: v.object({
    url: v.string(),
    runtime: v.string(),
    /** started by wsstress (in its own process) rather than a user's target */
    embedded: v.boolean(),
    perMessageDeflate: v.boolean(),
    /** what one probe connection's handshake settled, before the load */
    handshake: v.optional(HandshakeSchema),
  }),
  plan: PlanSchema,
  startedAt: v.pipe(v.string(), v.isoTimestamp()),
  finishedAt: v.pipe(v.string(), v.isoTimestamp()),
  durationMs: nonNegative,
  /**
   * complete: every planned level and suite ran to its end and measured what it exists for;
   * partial: a suite failed (threw, measured nothing, or the server closed every connection under it),
   * or --on-error stop ended the run early;
   * aborted: the user stopped it
   */
  status: v.picklist(["complete", "partial", "aborted"]),
  levels: v.array(LevelResultSchema),
  /** the untimed warm-up (absent when not run): its suites keep only their status, errors and fault counts, judged into the verdict */
  warmup: v.optional(LevelResultSchema),
  analysis: AnalysisSchema,
  verdict: VerdictSchema,
  /** a shard result: the slice of the plan it ran (`--shard i/n`) */
  shard: v.optional(ShardSchema),
  /** a merged result (`wsstress merge`): the shards it joins */
  merged: v.optional(MergedSchema),
  /** --conform: the conformance sample, and its round on the idle server before the first level */
  conformance: v.optional(RunConformanceSchema),
});
export type Result = v.InferOutput<typeof ResultSchema>;

/** Validates a result document; throws a `v.ValiError` whose issues carry the path. */
export function parseResult(input: unknown): Result {
  return v.parse(ResultSchema, input);
}
