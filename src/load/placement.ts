/**
 * Where a level's load goes, by one rule for machines and processes alike:
 * `--shard i/n` gives each load-generator machine a slice of every level, and
 * within a run a level's connections are split into worker shares and spread
 * over server processes. A slice is even and contiguous, keeps the global
 * indices of what it holds, and the first slices take one extra each of the
 * remainder, so the slices of n add up to the whole exactly.
 *
 * What cannot be split runs on shard 0 alone (the lead): the engine layer
 * (one in-process timing) and the compression suite.
 *
 * @example
 * ```ts
 * import { sliceOf, splitShares } from "./placement.ts";
 * sliceOf(100, { index: 2, count: 3 }); // { first: 67, count: 33 }
 * splitShares(50_000, ["ws://127.0.0.1:8080/"], 15_000).map((s) => s.count); // [12500, 12500, 12500, 12500]
 * ```
 */
import * as v from "valibot";
import type { Plan, ShardOfPlanSchema } from "../model/result.ts";

/** connections per process, server or load worker: well under the 20,000 open files a process may hold */
export const CONNECTIONS_PER_PROCESS = 15_000;

/** Shard `index` of `count`, as a plan records it. */
export type ShardOf = v.InferOutput<typeof ShardOfPlanSchema>;

/** Slice `shard.index` of `shard.count` of `total` items: the first ones get the remainder, one each. */
export function sliceOf(total: number, shard: ShardOf | undefined): { first: number; count: number } {
  if (!shard) return { first: 0, count: total };
  const base = Math.floor(total / shard.count);
  const extra = total % shard.count;
  return { first: shard.index * base + Math.min(shard.index, extra), count: base + (shard.index < extra ? 1 : 0) };
}

/** Whether this run does what only one shard may do (the engine layer, unsplittable suites): an unsharded run or shard 0. */
export const isLead = (plan: Plan): boolean => (plan.shard?.index ?? 0) === 0;

/** How many processes `items` connections need at `perProcess` each. */
export const processesFor = (items: number, perProcess = CONNECTIONS_PER_PROCESS): number => Math.max(1, Math.ceil(items / perProcess));

/** One process's part of a level's connections; it crosses to worker processes, so it is a schema. */
export const ShareSchema = v.object({
  /** global index of the first connection */
  first: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** how many connections to open */
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** the servers of the level: connection `i` goes to `urls[i % urls.length]` */
  urls: v.pipe(v.array(v.string()), v.minLength(1)),
});
export type Share = v.InferOutput<typeof ShareSchema>;

/** `total` connections from global index `offset`, split into as few even shares of at most `perShare` as hold them. */
export function splitShares(total: number, urls: string[], perShare: number, offset = 0): Share[] {
  const count = processesFor(total, perShare);
  return Array.from({ length: count }, (_, index) => {
    const slice = sliceOf(total, { index, count });
    return { first: offset + slice.first, count: slice.count, urls };
  });
}
