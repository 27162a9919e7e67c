/**
 * @module
 * The runtime matrix document, in valibot: the single source of truth for
 * its JSON and its types. One document holds every server × client pairing,
 * every round of each (with the client's full result document and the CPU
 * and memory of both processes), and the comparison of every metric.
 *
 * @example
 * ```ts
 * import { parseMatrix } from "./matrix-document.ts";
 * const matrix = parseMatrix(JSON.parse(text)); // throws a ValiError naming the path of anything wrong
 * for (const m of matrix.metrics) console.log(m.id, m.outcome, m.leader);
 * ```
 */
import * as v from "valibot";
import type {
  Bool,
  Finite,
  IntFrom,
  List,
  Literal,
  NonEmpty,
  NonNegative,
  Nullable,
  Obj,
  Optional,
  Picklist,
  Str,
  Timestamp,
} from "./valibot-types.ts";
import { RUNTIME_NAMES } from "./runtime-contract.ts";
import { MachineSchema, PlanSchema, ResultSchema } from "./result.ts";
import { finite, nonNegative, positiveCount as positiveInt } from "./_schema-numbers.ts";
import { DifferenceCallSchema, NoiseRuleSchema } from "./difference-call.ts";

export const MATRIX_SCHEMA_VERSION = 2;

// explicit schema types: JSR refuses inferred ones in the public API (see model/valibot-types.ts)
export const RuntimeNameSchema: Picklist<typeof RUNTIME_NAMES> = v.picklist(RUNTIME_NAMES);

/** A runtime the matrix ran, as it found it: which executable, which version. */
export const RuntimeExecutableSchema: Obj<{ readonly name: typeof RuntimeNameSchema; readonly executable: Str; readonly version: Str }> = v
  .object({
    name: RuntimeNameSchema,
    executable: v.string(),
    version: v.string(),
  });
export type RuntimeExecutable = v.InferOutput<typeof RuntimeExecutableSchema>;

const timestamp: Timestamp = v.pipe(v.string(), v.isoTimestamp());

/** What the matrix runs: the plan, on every server × client pairing, for `rounds` interleaved rounds. */
export const MatrixPlanSchema: Obj<{
  readonly plan: typeof PlanSchema;
  readonly servers: NonEmpty<typeof RuntimeNameSchema>;
  readonly clients: NonEmpty<typeof RuntimeNameSchema>;
  readonly rounds: IntFrom<1>;
}> = v.object({
  plan: PlanSchema,
  servers: v.pipe(v.array(RuntimeNameSchema), v.minLength(1)),
  clients: v.pipe(v.array(RuntimeNameSchema), v.minLength(1)),
  rounds: positiveInt,
});
export type MatrixPlan = v.InferOutput<typeof MatrixPlanSchema>;

/** CPU time (user + system) one process spent while the plan's levels ran, and its peak resident memory. */
export const ProcessUsageSchema: Obj<{
  readonly cpuMs: Optional<NonNegative>;
  readonly peakRssBytes: Optional<NonNegative>;
}> = v.object({
  cpuMs: v.optional(nonNegative),
  peakRssBytes: v.optional(nonNegative),
});
export type ProcessUsage = v.InferOutput<typeof ProcessUsageSchema>;

export const PairingRunSchema: Obj<{
  readonly round: IntFrom<1>;
  readonly status: Picklist<["ok", "failed"]>;
  readonly error: Optional<Str>;
  readonly durationMs: NonNegative;
  readonly result: Optional<typeof ResultSchema>;
  readonly client: typeof ProcessUsageSchema;
  readonly server: typeof ProcessUsageSchema;
}> = v.object({
  /** 1-based */
  round: positiveInt,
  /** ok: the client printed a valid result; failed: a side did not start, crashed or printed no valid result */
  status: v.picklist(["ok", "failed"]),
  error: v.optional(v.string()),
  durationMs: nonNegative,
  /** the client's result document, as the client printed it */
  result: v.optional(ResultSchema),
  client: ProcessUsageSchema,
  server: ProcessUsageSchema,
});
export type PairingRun = v.InferOutput<typeof PairingRunSchema>;

export const PairingSchema: Obj<{
  readonly id: Str;
  readonly server: typeof RuntimeNameSchema;
  readonly client: typeof RuntimeNameSchema;
  readonly runs: List<typeof PairingRunSchema>;
}> = v.object({
  /** `server/client`, e.g. `deno/bun`: a Deno server loaded by a Bun client */
  id: v.string(),
  server: RuntimeNameSchema,
  client: RuntimeNameSchema,
  runs: v.array(PairingRunSchema),
});
export type Pairing = v.InferOutput<typeof PairingSchema>;

/** One pairing's figures for one metric (or one client runtime's, for an engine row), over the rounds it produced that metric in. */
export const MetricCellSchema: Obj<{
  readonly pairing: Str;
  readonly samples: NonEmpty<Finite>;
  readonly median: Finite;
  readonly min: Finite;
  readonly max: Finite;
  readonly spread: NonNegative;
  readonly ratio: Nullable<
    v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.FiniteAction<number, undefined>, v.MinValueAction<number, 1, undefined>]>
  >;
  readonly ratioInterval: Nullable<v.TupleSchema<[Finite, Finite], undefined>>;
  readonly call: Nullable<typeof DifferenceCallSchema>;
  readonly beaten: Bool;
}> = v.object({
  /** `server/client`; for an engine row, the client runtime that ran it */
  pairing: v.string(),
  samples: v.pipe(v.array(v.pipe(v.number(), v.finite())), v.minLength(1)),
  median: v.pipe(v.number(), v.finite()),
  min: v.pipe(v.number(), v.finite()),
  max: v.pipe(v.number(), v.finite()),
  /** max − min over the rounds */
  spread: nonNegative,
  /**
   * how many times better the leader's median is than this one's (1 for the leader); null when no finite ratio exists:
   * zero against non-zero, or a negative figure
   */
  ratio: v.nullable(v.pipe(v.number(), v.finite(), v.minValue(1))),
  /** the confidence interval of that ratio, from the rule's call; null for the leader, too few rounds, or figures not all positive */
  ratioInterval: v.nullable(v.tuple([finite, finite])),
  /** the noise rule on the leader against this cell (baseline this cell, current the leader); null for the leader */
  call: v.nullable(DifferenceCallSchema),
  /** the leader is better beyond the noise and the tolerance */
  beaten: v.boolean(),
});
export type MetricCell = v.InferOutput<typeof MetricCellSchema>;

/**
 * - `win`: the leader beat every other cell; `tie`: not every one (see `tiedWith`);
 * - `too-few`: too few rounds to call anything at the rule's confidence;
 * - `not-gated`: a single-sample figure (a max, a min) or the generator's send lag, never called unless a tolerance
 *   names it;
 * - `alone`: one cell, nothing to compare (an engine row with one client runtime).
 */
export const OUTCOMES = ["win", "tie", "too-few", "not-gated", "alone"] as const;

export const MetricComparisonSchema: Obj<{
  readonly id: Str;
  readonly level: Optional<Str>;
  readonly group: Str;
  readonly layer: Picklist<["wire", "engine", "client", "server"]>;
  readonly key: Str;
  readonly label: Str;
  readonly unit: Str;
  readonly better: Picklist<["higher", "lower"]>;
  readonly by: Picklist<["pairing", "client"]>;
  readonly leader: Str;
  readonly outcome: Picklist<typeof OUTCOMES>;
  readonly tiedWith: List<Str>;
  readonly cells: NonEmpty<typeof MetricCellSchema>;
}> = v.object({
  /** `level.suite.layer.key` for a suite's metric, `process.side.key` for CPU and memory */
  id: v.string(),
  /** the level's name; absent for the process figures, which span the whole run */
  level: v.optional(v.string()),
  /** the suite, or `process` */
  group: v.string(),
  layer: v.picklist(["wire", "engine", "client", "server"]),
  key: v.string(),
  label: v.string(),
  unit: v.string(),
  better: v.picklist(["higher", "lower"]),
  /** what the cells compare: pairings, or (an engine row, measured inside the client) client runtimes, every server's rounds pooled */
  by: v.picklist(["pairing", "client"]),
  /** the cell with the best median */
  leader: v.string(),
  outcome: v.picklist(OUTCOMES),
  /** the cells the leader did not beat, for a tie */
  tiedWith: v.array(v.string()),
  cells: v.pipe(v.array(MetricCellSchema), v.minLength(1)),
});
export type MetricComparison = v.InferOutput<typeof MetricComparisonSchema>;

export const MatrixSchema: Obj<{
  readonly schemaVersion: Literal<typeof MATRIX_SCHEMA_VERSION>;
  readonly kind: Literal<"wsstress-matrix">;
  readonly tool: Obj<{ readonly name: Literal<"wsstress">; readonly version: Str }>;
  readonly machine: typeof MachineSchema;
  readonly matrix: typeof MatrixPlanSchema;
  readonly runtimes: List<typeof RuntimeExecutableSchema>;
  readonly rule: typeof NoiseRuleSchema;
  readonly startedAt: Timestamp;
  readonly finishedAt: Timestamp;
  readonly durationMs: NonNegative;
  readonly status: Picklist<["complete", "partial", "aborted"]>;
  readonly pairings: List<typeof PairingSchema>;
  readonly metrics: List<typeof MetricComparisonSchema>;
}> = v.object({
  schemaVersion: v.literal(MATRIX_SCHEMA_VERSION),
  kind: v.literal("wsstress-matrix"),
  tool: v.object({ name: v.literal("wsstress"), version: v.string() }),
  machine: MachineSchema,
  matrix: MatrixPlanSchema,
  runtimes: v.array(RuntimeExecutableSchema),
  /** the rule that turns a difference into a win, with its settings */
  rule: NoiseRuleSchema,
  startedAt: timestamp,
  finishedAt: timestamp,
  durationMs: nonNegative,
  /** complete: every round of every pairing ran; partial: some failed; aborted: stopped by the caller */
  status: v.picklist(["complete", "partial", "aborted"]),
  pairings: v.array(PairingSchema),
  metrics: v.array(MetricComparisonSchema),
});
export type Matrix = v.InferOutput<typeof MatrixSchema>;

/** Validates a matrix document; throws a `v.ValiError` whose issues carry the path. */
export function parseMatrix(input: unknown): Matrix {
  return v.parse(MatrixSchema, input);
}
