/**
 * What the builder is given, checked: levels, suites and options become the
 * plan's values or a RangeError that names the option, what was wrong and
 * what is allowed.
 */
import * as v from "valibot";
import { builtinProfile, BUILTIN_PROFILE_NAMES, isProfile, namesProfileModule } from "../profiles/builtin.ts";
import { AUTH_ROLES, type AuthRole, type Profile } from "../profiles/profile.ts";
import { SUITE_NAMES, type SuiteName } from "../model/result.ts";
import { isLevelName, type Level, type LevelName, LEVEL_NAMES, LEVELS, LevelSchema } from "../model/levels.ts";

export type LevelInput = LevelName | Level;

/** The longest wait a timer takes on every runtime (2^31 − 1 ms): past it, setTimeout fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Validates one option; a failure becomes a RangeError naming the option, the field and what is allowed. */
export function checked<T>(what: string, schema: v.GenericSchema<unknown, T>, input: unknown, allowed: string): T {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join(".");
  throw new RangeError(`${what}${path ? `.${path}` : ""}: ${issue.message}; allowed: ${allowed}`);
}

const LEVEL_FIELDS = "an object { name, operations, connections, messagesPerConnection, subscribers }: a name that starts with a letter, positive integers";

export const profileRef = (profile: string | Profile): { name: string; module?: string } =>
  typeof profile === "string" ? { name: profile, module: profile } : { name: profile.name, ...(profile.module ? { module: profile.module } : {}) };

export function toLevel(input: LevelInput): Level {
  if (typeof input === "string") {
    if (!isLevelName(input)) throw new RangeError(`unknown level "${input}"; allowed: ${LEVEL_NAMES.join(", ")}, or a custom level object`);
    return LEVELS.find((l) => l.name === input)!;
  }
  return checked(`level ${JSON.stringify((input as { name?: unknown })?.name ?? input)}`, LevelSchema, input, LEVEL_FIELDS);
}

/** Two levels may not share a name (the result keys levels by name); the same seed level twice is run once. */
export function distinct(levels: Level[]): Level[] {
  const byName = new Map<string, Level>();
  for (const level of levels) {
    const seen = byName.get(level.name);
    if (seen === undefined) byName.set(level.name, level);
    else if (JSON.stringify(seen) !== JSON.stringify(level)) throw new RangeError(`two different levels are named "${level.name}"; give each level its own name`);
  }
  return [...byName.values()];
}

export function toSuite(name: string): SuiteName {
  if (!(SUITE_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown suite "${name}"; allowed: ${SUITE_NAMES.join(", ")}`);
  return name as SuiteName;
}

/** lowest load first, so degradation reads from the bottom level to the top one */
export const byLoad = (a: Level, b: Level): number => a.operations - b.operations || a.connections - b.connections;

/** A built-in profile name, a module path or a profile object, as `.profile()` takes it. */
export function checkProfile(profile: string | Profile): string | Profile {
  if (typeof profile === "string") {
    if (!builtinProfile(profile) && !namesProfileModule(profile)) {
      throw new RangeError(`unknown profile "${profile}"; allowed: ${BUILTIN_PROFILE_NAMES.join(", ")}, a module path such as ./my-profile.ts, or defineProtocol({ … })`);
    }
    return profile;
  }
  if (!isProfile(profile)) throw new RangeError("profile(): expected a profile name, a module path or what defineProtocol() returns");
  return profile;
}

export function checkTokens(tokens: Partial<Record<AuthRole, string>>): Partial<Record<AuthRole, string>> {
  for (const [role, token] of Object.entries(tokens)) {
    if (!(AUTH_ROLES as readonly string[]).includes(role)) throw new RangeError(`tokens: unknown role "${role}"; allowed: ${AUTH_ROLES.join(", ")}`);
    if (typeof token !== "string" || token === "") throw new RangeError(`tokens.${role} must be a non-empty string`);
  }
  return tokens;
}

export function checkCa(pem: string): string {
  if (typeof pem !== "string" || !pem.includes("-----BEGIN CERTIFICATE-----")) throw new RangeError("ca(): expected PEM text with a -----BEGIN CERTIFICATE----- block");
  return pem;
}

/** Choices that cannot go together, each fine alone. */
export function checkCombination(c: { profile?: string | Profile; target?: string; p99BoundMs?: number; shard?: unknown }): void {
  const { profile, target } = c;
  const speaksReference = profile === undefined || (typeof profile === "string" ? profile === "wsstress" : profile.reference);
  if (!speaksReference && !target) {
    throw new RangeError(`profile ${typeof profile === "string" ? profile : profile.name} speaks to a server of yours: name it with .target(url) (--target URL); the embedded server speaks wsstress`);
  }
  if (c.p99BoundMs !== undefined && c.shard !== undefined) {
    throw new RangeError("p99Bound (--p99-bound) searches one server's fan-out knee in one process and cannot be split over shards; run the knee search without shard (--shard)");
  }
}
