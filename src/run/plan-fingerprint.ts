/**
 * The fingerprint that tells whether several shard results came from one
 * plan: equal for every shard of it, whatever slice each ran and whichever
 * machine resolved its profile module.
 */
import type { Plan } from "../model/result.ts";

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
  return fields.filter((f) => canonical(x[f]) !== canonical(y[f])).map((f) =>
    `${f}: ${canonical(x[f]) ?? "absent"} ≠ ${canonical(y[f]) ?? "absent"}`
  );
}
