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
import { LevelResultSchema, ThresholdSchema } from "./schema-level.ts";
import { finite, nonNegative } from "./_schema-numbers.ts";
import { LayerSchema, SuiteNameSchema, VerdictSchema } from "./schema-names.ts";
import { MergedSchema, ShardOfPlanSchema, ShardSchema } from "./schema-shard.ts";

export * from "./schema-names.ts";
export * from "./schema-level.ts";
export * from "./schema-shard.ts";

export const SCHEMA_VERSION = 1;

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

/** A protocol profile: its name, and the module a worker process loads it from (absent for one given as an object in code). */
export const ProfileRefSchema: Obj<{ readonly name: Str; readonly module: v.OptionalSchema<Str, undefined> }> = v.object({
  name: v.string(),
  module: v.optional(v.string()),
});

export const ConnectionPlanSchema: Obj<{
  readonly headers: List<Str>;
  readonly subprotocols: List<Str>;
  readonly tokens: List<Picklist<["subscriber", "publisher", "admin"]>>;
  readonly customCa: Bool;
}> = v.object({
  /** names of the extra handshake headers (values are not recorded) */
  headers: v.array(v.string()),
  /** subprotocols offered, in order of preference */
  subprotocols: v.array(v.string()),
  /** roles given a token (tokens are not recorded) */
  tokens: v.array(v.picklist(["subscriber", "publisher", "admin"])),
  /** a CA of the caller's was trusted for wss:// */
  customCa: v.boolean(),
});

export type ConnectionPlan = v.InferOutput<typeof ConnectionPlanSchema>;

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
  readonly profile: v.OptionalSchema<typeof ProfileRefSchema, undefined>;
  readonly connection: v.OptionalSchema<typeof ConnectionPlanSchema, undefined>;
  readonly shard: v.OptionalSchema<typeof ShardOfPlanSchema, undefined>;
  readonly startAt: v.OptionalSchema<Timestamp, undefined>;
  readonly p99BoundMs: v.OptionalSchema<v.SchemaWithPipe<readonly [Num, v.FiniteAction<number, undefined>, v.GtValueAction<number, 0, undefined>]>, undefined>;
}> = v.object({
  levels: v.array(LevelSchema),
  suites: v.array(SuiteNameSchema),
  /** overrides by `suite.layer.key`, e.g. `message.wire.rtt_p99_ms` */
  thresholds: v.record(v.string(), ThresholdSchema),
  /** messages in flight per connection in the message suite's closed loop */
  window: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** upper bound on any single wait (a handshake, a silence with no reply on any connection, a drain), ms */
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
  /** the protocol profile the suites spoke (wsstress when absent) */
  profile: v.optional(ProfileRefSchema),
  /** what the handshakes carried, by name only: header and token values may be secrets */
  connection: v.optional(ConnectionPlanSchema),
  /** run only this slice of the plan: its share of connections, messages and subscribers (`wsstress merge` joins the shards) */
  shard: v.optional(ShardOfPlanSchema),
  /** the levels start at this instant (after the warm-up), so shards on several machines start together */
  startAt: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  /** broadcast also searches for the highest delivery rate whose publish-to-receipt p99 stays at or under this many ms (the knee); no search when absent */
  p99BoundMs: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0))),
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
  readonly server: Obj<{ readonly url: Str; readonly runtime: Str; readonly embedded: Bool; readonly perMessageDeflate: Bool; readonly handshake: v.OptionalSchema<typeof HandshakeSchema, undefined> }>;
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
});
export type Result = v.InferOutput<typeof ResultSchema>;

/** Validates a result document; throws a `v.ValiError` whose issues carry the path. */
export function parseResult(input: unknown): Result {
  return v.parse(ResultSchema, input);
}
