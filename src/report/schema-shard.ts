/**
 * The parts of the result schema that sharded runs add: which slice of a
 * plan a result is (`ShardSchema`), what a merged result was merged from
 * (`MergedSchema`), and the raw facts a shard keeps so that `wsstress merge`
 * recomputes every figure exactly (`FactSchema`, see `suites/facts.ts`).
 * See `schema.ts`, which re-exports all of it.
 */
import * as v from "valibot";
import type { IntFrom, Obj, Str } from "../core/_schema-types.ts";
import type { Fact } from "../suites/facts.ts";
import { count, finite, nonNegative, positiveCount } from "./_schema-numbers.ts";
import { LayerSchema } from "./schema-names.ts";

const key = v.string();

/** One raw fact of a suite; the latency histograms it names are the suite's `histograms` (`wire.<key>`). */
export const FactSchema: v.GenericSchema<Fact> = v.variant("kind", [
  v.object({ kind: v.literal("count"), layer: LayerSchema, key, value: finite, of: v.optional(nonNegative) }),
  v.object({ kind: v.literal("rate"), layer: LayerSchema, key, ops: nonNegative, startMs: finite, endMs: finite }),
  v.object({ kind: v.literal("ratio"), layer: LayerSchema, key, numerator: finite, denominator: finite }),
  v.object({ kind: v.literal("max"), layer: LayerSchema, key, value: finite }),
  v.object({ kind: v.literal("value"), layer: LayerSchema, key, value: finite }),
  v.object({ kind: v.literal("spread"), layer: LayerSchema, key, n: count, sum: finite, sumSquares: finite, min: finite, max: finite }),
  v.object({ kind: v.literal("latency"), layer: v.literal("wire"), key }),
]);

/** The slice of a plan a run took: shard `index` of `count`. */
export const ShardOfPlanSchema: v.SchemaWithPipe<readonly [
  Obj<{ readonly index: IntFrom<0>; readonly count: IntFrom<1> }>,
  v.CheckAction<{ index: number; count: number }, string>,
]> = v.pipe(
  v.object({ index: count, count: positiveCount }),
  v.check((s) => s.index < s.count, "a shard's index runs from 0 to count − 1"),
);

/** A shard result: which slice it was, and the fingerprint of its plan without the slice. */
export const ShardSchema: Obj<{
  readonly index: IntFrom<0>;
  readonly count: IntFrom<1>;
  readonly planFingerprint: Str;
}> = v.object({
  index: count,
  count: positiveCount,
  /** the same for every shard of one plan (`core/shard.ts`); merge refuses shards whose fingerprints differ */
  planFingerprint: v.string(),
});
export type Shard = v.InferOutput<typeof ShardSchema>;

/** A merged result: how many shards it was merged from, and their plan's fingerprint. */
export const MergedSchema: Obj<{ readonly shards: IntFrom<1>; readonly planFingerprint: Str }> = v.object({
  shards: positiveCount,
  planFingerprint: v.string(),
});
export type Merged = v.InferOutput<typeof MergedSchema>;
