/**
 * The parts of the result schema that sharded runs add: which slice of a
 * plan a result is (`ShardSchema`), what a merged result was merged from
 * (`MergedSchema`). The raw facts a shard keeps, from which `wsstress merge`
 * recomputes every figure exactly, are `FactSchema` (`facts.ts`).
 */
import * as v from "valibot";
import type { IntFrom, Obj, Str } from "./valibot-types.ts";
import { count, positiveCount } from "./_schema-numbers.ts";

/** The slice of a plan a run took: shard `index` of `count`. */
export const ShardOfPlanSchema: v.SchemaWithPipe<
  readonly [
    Obj<{ readonly index: IntFrom<0>; readonly count: IntFrom<1> }>,
    v.CheckAction<{ index: number; count: number }, string>,
  ]
> = v.pipe(
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
  /** the same for every shard of one plan (`load/placement.ts`); merge refuses shards whose fingerprints differ */
  planFingerprint: v.string(),
});
export type Shard = v.InferOutput<typeof ShardSchema>;

/** A merged result: how many shards it was merged from, and their plan's fingerprint. */
export const MergedSchema: Obj<{ readonly shards: IntFrom<1>; readonly planFingerprint: Str }> = v.object({
  shards: positiveCount,
  planFingerprint: v.string(),
});
export type Merged = v.InferOutput<typeof MergedSchema>;
