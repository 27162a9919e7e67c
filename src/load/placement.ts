/**
 * Sharding a plan over several load generators (`--shard i/n`): which slice
 * of a level each shard takes, and the fingerprint that tells whether
 * several shard results came from one plan.
 *
 * A shard takes an even, contiguous slice of a level's connections (and so
 * of its messages, which are per connection) with their global indices, and
 * of the broadcast subscribers, so the slices of n shards add up to the
 * whole level exactly. What cannot be split runs on shard 0 alone (the lead):
 * the engine layer (one in-process timing) and the compression suite.
 *
 * @example
 * ```ts
 * import { sliceOf } from "./placement.ts";
 * sliceOf(100, { index: 2, count: 3 }); // { first: 67, count: 33 }
 * ```
 */
import type { Plan } from "../model/result.ts";

export type ShardOf = { index: number; count: number };

/** Shard `shard.index`'s part of `total` items: the first gets the remainder, one each. */
export function sliceOf(total: number, shard: ShardOf | undefined): { first: number; count: number } {
  if (!shard) return { first: 0, count: total };
  const base = Math.floor(total / shard.count);
  const extra = total % shard.count;
  return { first: shard.index * base + Math.min(shard.index, extra), count: base + (shard.index < extra ? 1 : 0) };
}

/** Whether this run does what only one shard may do (the engine layer, unsplittable suites): an unsharded run or shard 0. */
export const isLead = (plan: Plan): boolean => (plan.shard?.index ?? 0) === 0;

/**
 * The plan as every shard of it has it: without the slice and the start time,
 * and with a custom profile by name only (each machine resolves the module to
 * a path of its own).
 */
export function unsharded(plan: Plan): Plan {
  const { shard: _shard, startAt: _startAt, ...rest } = plan;
  return rest.profile ? { ...rest, profile: { name: rest.profile.name } } : rest;
}

/** JSON with object keys sorted, so two equal plans always print the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** 64-bit FNV-1a of the canonical plan without its slice, in hex: equal for every shard of one plan. */
export function planFingerprint(plan: Plan): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(canonical(unsharded(plan)))) {
    h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0");
}

/** What differs between two plans without their slices, as `field: a ≠ b` lines (empty when they match). */
export function planDifferences(a: Plan, b: Plan): string[] {
  const [x, y] = [unsharded(a) as Record<string, unknown>, unsharded(b) as Record<string, unknown>];
  const fields = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
  return fields.filter((f) => canonical(x[f]) !== canonical(y[f])).map((f) => `${f}: ${canonical(x[f]) ?? "absent"} ≠ ${canonical(y[f]) ?? "absent"}`);
}
