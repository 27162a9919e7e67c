/**
 * @module
 * The plan: what a run was asked to do, as its result records it (levels,
 * suites, thresholds, the options, the profile by name, the connection
 * settings by name only) and as worker and client processes receive it.
 * `run/plan-input.ts` checks what a caller gives against these fields.
 */
import * as v from "valibot";
import type { Bool, IntFrom, List, Num, Obj, Picklist, Str, Timestamp } from "./valibot-types.ts";
import { LevelSchema } from "./levels.ts";
import { ThresholdSchema } from "./level-result.ts";
import { SuiteNameSchema } from "./result-names.ts";
import { ShardOfPlanSchema } from "./sharding.ts";
import { ScenarioRefSchema } from "./scenario-plan.ts";

/** A protocol profile: its name, and the module a worker process loads it from (absent for one given as an object in code). */
export const ProfileRefSchema: Obj<{ readonly name: Str; readonly module: v.OptionalSchema<Str, undefined> }> = v.object({
  name: v.string(),
  module: v.optional(v.string()),
});

export const ConnectionPlanSchema: Obj<{
  readonly headers: List<Str>;
  readonly query: v.OptionalSchema<List<Str>, undefined>;
  readonly auth: v.OptionalSchema<List<Str>, undefined>;
  readonly subprotocols: List<Str>;
  readonly tokens: List<Picklist<["subscriber", "publisher", "admin"]>>;
  readonly customCa: Bool;
}> = v.object({
  /** names of the extra handshake headers (values are not recorded) */
  headers: v.array(v.string()),
  /** names of the query parameters added to every URL (values are not recorded); absent when none */
  query: v.optional(v.array(v.string())),
  /** names of the handshake payload's fields (Socket.IO's `auth`; values are not recorded); absent when none */
  auth: v.optional(v.array(v.string())),
  /** subprotocols offered, in order of preference */
  subprotocols: v.array(v.string()),
  /** roles given a token (tokens are not recorded) */
  tokens: v.array(v.picklist(["subscriber", "publisher", "admin"])),
  /** a CA of the caller's was trusted for wss:// */
  customCa: v.boolean(),
});

export type ConnectionPlan = v.InferOutput<typeof ConnectionPlanSchema>;

export const PlanSchema: Obj<{
  readonly levels: List<typeof LevelSchema>;
  readonly suites: List<typeof SuiteNameSchema>;
  readonly scenarios: v.OptionalSchema<List<typeof ScenarioRefSchema>, undefined>;
  readonly thresholds: v.RecordSchema<Str, typeof ThresholdSchema, undefined>;
  readonly window: IntFrom<1>;
  readonly timeoutMs: IntFrom<1>;
  readonly warmup: Bool;
  readonly target: v.OptionalSchema<Str, undefined>;
  readonly connectionsPerProcess: v.OptionalSchema<IntFrom<1>, undefined>;
  readonly rate: v.OptionalSchema<
    v.SchemaWithPipe<readonly [Num, v.FiniteAction<number, undefined>, v.GtValueAction<number, 0, undefined>]>,
    undefined
  >;
  readonly onError: v.OptionalSchema<Picklist<["continue", "stop"]>, undefined>;
  readonly profile: v.OptionalSchema<typeof ProfileRefSchema, undefined>;
  readonly connection: v.OptionalSchema<typeof ConnectionPlanSchema, undefined>;
  readonly shard: v.OptionalSchema<typeof ShardOfPlanSchema, undefined>;
  readonly startAt: v.OptionalSchema<Timestamp, undefined>;
  readonly p99BoundMs: v.OptionalSchema<
    v.SchemaWithPipe<readonly [Num, v.FiniteAction<number, undefined>, v.GtValueAction<number, 0, undefined>]>,
    undefined
  >;
  readonly conform: v.OptionalSchema<Bool, undefined>;
}> = v.object({
  levels: v.array(LevelSchema),
  suites: v.array(SuiteNameSchema),
  /** users' scenarios, each run as one more suite after the built-in ones, in this order; absent when none */
  scenarios: v.optional(v.array(ScenarioRefSchema)),
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
  /**
   * open loop: messages per second over all connections in the message suite, timed from their intended send time;
   * closed loop when absent
   */
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
  /**
   * broadcast also searches for the highest delivery rate whose publish-to-receipt p99 stays at or under this many ms
   * (the knee); no search when absent
   */
  p99BoundMs: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0))),
  /** a sample of the conformance cases also runs on extra connections at every level, judged into the level's verdict */
  conform: v.optional(v.boolean()),
});
export type Plan = v.InferOutput<typeof PlanSchema>;

/** Every suite a plan runs, in order: the built-in ones, then its scenarios. */
export const suiteIdsOf = (
  plan: Pick<Plan, "suites" | "scenarios">,
): string[] => [...plan.suites, ...(plan.scenarios ?? []).map((s) => s.name)];
