/**
 * @module
 * What a caller asks of a run, before it is a plan: one schema for the
 * builder's methods and the CLI's flags. Each input is checked once, where it
 * comes in, against the same field schema (the plan's own where the plan has
 * one), and a bad one is worded by the input formatter with the caller's
 * name for it: `window` in code, `--window` on the command line. `planOf`
 * turns the input into the plan a result records; worker and client
 * processes get that plan and check it against `PlanSchema` at their end.
 *
 * @example
 * ```ts
 * import { checkInput, IN_CODE } from "./plan-input.ts";
 * checkInput("window", 0, IN_CODE); // RangeError: window: Invalid value: Expected >=1 but received 0; allowed: a positive integer
 * ```
 */
import * as v from "valibot";
import { type Allowed, inputError } from "../model/input-error.ts";
import { checkHeader, checkSubprotocol } from "../model/handshake-values.ts";
import { type Level, LEVEL_NAMES, type LevelName, LEVELS, LevelSchema } from "../model/levels.ts";
import { checkTarget } from "../model/loopback-target.ts";
import { type Plan, PlanSchema, type ScenarioRef, SUITE_NAMES, type SuiteName, type Threshold } from "../model/result.ts";
import { connectionPlan, type ConnectionSettings } from "../profiles/connection-settings.ts";
import { BUILTIN_PROFILE_NAMES, builtinProfile, isProfile, namesProfileModule } from "../profiles/builtin.ts";
import { AUTH_ROLES, type AuthRole, type Profile } from "../profiles/profile.ts";
import type { ShardOf } from "../load/placement.ts";
import { checkScenarioThresholds, type MetricId, validateThresholdOverrides } from "../suites/metric-catalogue.ts";
import { isScenario, type Scenario } from "../suites/scenario-definition.ts";
import { checkStartAt } from "./start-at.ts";

export type LevelInput = LevelName | Level;

/** What a run does after a suite that failed: go on with the rest, or stop there (status partial). */
export type OnError = "continue" | "stop";

/** Everything a run is asked to do, checked; what the builder holds and the CLI's flags fill. */
export type PlanInput = {
  readonly levels: readonly Level[];
  /** the built-in suites; all six when absent, unless scenarios are given (then none) */
  readonly suites?: readonly SuiteName[];
  /** users' scenarios, each one more suite: what defineScenario returns, or a module path (loaded when the run starts) */
  readonly scenarios?: readonly (string | Scenario<unknown>)[];
  readonly thresholds: Readonly<Partial<Record<MetricId, Threshold>>>;
  readonly window: number;
  readonly timeoutMs: number;
  readonly warmup: boolean;
  readonly target?: string;
  readonly connectionsPerProcess?: number;
  readonly rate?: number;
  readonly p99BoundMs?: number;
  readonly onError?: OnError;
  readonly shard?: ShardOf;
  readonly startAt?: string;
  /** a built-in name, a module path (loaded when the run starts), or a profile object */
  readonly profile?: string | Profile;
  /** headers, subprotocols, CA and tokens: they reach the sockets, never the result */
  readonly connection: ConnectionSettings;
  /** a sample of the conformance cases runs on extra connections at every level */
  readonly conform?: boolean;
};

/** The seed's defaults: all eight levels, all six suites, a window of one, 10 s waits, a warm-up. */
export const DEFAULT_INPUT: PlanInput = Object.freeze({
  levels: LEVELS,
  thresholds: {},
  window: 1,
  timeoutMs: 10_000,
  warmup: true,
  connection: {},
});

/** The longest wait a timer takes on every runtime (2^31 − 1 ms): past it, setTimeout fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** How the caller names each input: the builder's method, or the CLI's flag. */
export type Naming = Readonly<Record<keyof Inputs, string>>;

export const IN_CODE: Naming = {
  levels: "level",
  suites: "suite",
  scenarios: "scenario",
  thresholds: "thresholds",
  window: "window",
  timeoutMs: "timeout",
  warmup: "warmup",
  target: "target",
  connectionsPerProcess: "connectionsPerProcess",
  rate: "rate",
  p99BoundMs: "p99Bound",
  onError: "onError",
  shard: "shard",
  startAt: "startAt",
  profile: "profile",
  headers: "headers",
  query: "query",
  auth: "auth",
  subprotocols: "subprotocols",
  tokens: "tokens",
  ca: "ca",
  conform: "conform",
};

const LEVEL_FIELDS =
  "{ name, operations, connections, messagesPerConnection, subscribers }: a name that starts with a letter, positive integers";

/** A schema field and what it allows, checked with the caller's name for it. */
function field<T>(schema: v.GenericSchema<unknown, T>, allowed: Allowed): (value: unknown, subject: string) => T {
  return (value, subject) => {
    const result = v.safeParse(schema, value);
    if (result.success) return result.output;
    const issue = result.issues[0];
    // a flag's value has no fields to name; a custom level or a shard object in code has
    const path = subject.startsWith("--") ? undefined : issue.path?.map((p) => String(p.key)).join(".");
    throw inputError(`${subject}${path ? `.${path}` : ""}`, issue.message, allowed);
  };
}

/** `value` if it is one of `names`, else the formatter's "unknown" line with the nearest name. */
function oneOf<T extends string>(kind: string, names: readonly T[], more?: string): (value: unknown, subject: string) => T {
  return (value, subject) => {
    if (typeof value === "string" && (names as readonly string[]).includes(value)) return value as T;
    throw inputError(subject, `unknown ${kind} ${JSON.stringify(value)}`, {
      names,
      given: typeof value === "string" ? value : undefined,
      more,
    });
  };
}

const level = (input: unknown, subject: string): Level => {
  if (typeof input === "string") {
    return LEVELS.find((l) => l.name === oneOf("level", LEVEL_NAMES, "or a custom level object")(input, subject))!;
  }
  const name = (input as { name?: unknown })?.name;
  return field(LevelSchema, LEVEL_FIELDS)(input, `${subject} ${JSON.stringify(typeof name === "string" ? name : input)}`);
};

/** Two levels may not share a name (the result keys levels by name); the same seed level twice is run once. */
function distinct(levels: Level[], subject: string): Level[] {
  const byName = new Map<string, Level>();
  for (const l of levels) {
    const seen = byName.get(l.name);
    if (seen === undefined) byName.set(l.name, l);
    else if (JSON.stringify(seen) !== JSON.stringify(l)) {
      throw inputError(subject, `two different levels are named "${l.name}"`, "levels of distinct names");
    }
  }
  return [...byName.values()];
}

/** A list of one or more, each checked. */
const some = <T>(check: (value: unknown, subject: string) => T, what: string) => (values: unknown, subject: string): T[] => {
  if (!Array.isArray(values) || values.length === 0) throw inputError(subject, `needs at least one ${what}`, `one or more ${what}s`);
  return values.map((value) => check(value, subject));
};

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const aboveZero = v.pipe(v.number(), v.finite(), v.gtValue(0, (issue) => `${issue.input} is not above 0`));

function profile(input: unknown, subject: string): string | Profile {
  if (typeof input === "string") {
    if (builtinProfile(input, subject) || namesProfileModule(input)) return input;
    throw inputError(subject, `unknown profile "${input}"`, {
      names: BUILTIN_PROFILE_NAMES,
      given: input,
      more: "a module path such as ./my-profile.ts, or defineProtocol({ … })",
    });
  }
  if (isProfile(input)) return input;
  throw inputError(subject, "not a profile", "a profile name, a module path or what defineProtocol() returns");
}

const headers = (input: unknown, subject: string): Record<string, string> => {
  const record = field(v.record(v.string(), v.string()), "an object of header name → value")(input, subject);
  for (const [name, value] of Object.entries(record)) checkHeader(name, value, subject);
  return record;
};

/** names and values of a query or a handshake payload: names non-empty, values strings */
const pairs = (what: string) => (input: unknown, subject: string): Record<string, string> => {
  const record = field(v.record(v.string(), v.string()), `an object of ${what} name → string value`)(input, subject);
  if (Object.hasOwn(record, "")) throw inputError(subject, `a ${what} name is empty`, `non-empty ${what} names`);
  return record;
};

const tokens = (input: unknown, subject: string): Partial<Record<AuthRole, string>> => {
  const record = field(v.record(v.string(), v.string()), "an object of role → token")(input, subject);
  for (const [role, token] of Object.entries(record)) {
    oneOf("role", AUTH_ROLES)(role, subject);
    if (token === "") throw inputError(`${subject}.${role}`, "the token is empty", "a non-empty string");
  }
  return record;
};

/** Scenarios, each a module path or what defineScenario returns, no two of one name. */
function scenarios(values: unknown, subject: string): Array<string | Scenario<unknown>> {
  const checked = some((value: unknown, at: string): string | Scenario<unknown> => {
    if (isScenario(value) || (typeof value === "string" && value.trim() !== "")) return value;
    throw inputError(at, `not a scenario: ${typeof value}`, "what defineScenario() returns, or a module path such as ./my-scenario.ts");
  }, "scenario")(values, subject);
  const names = checked.filter(isScenario).map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw inputError(subject, `two scenarios are named "${twice}"`, "scenarios of distinct names");
  return checked;
}

/** Every input the builder and the CLI take, each with its check; the key is the builder's (and `Naming`'s). */
const INPUTS = {
  levels: (value: unknown, subject: string): Level[] => distinct(some(level, "level")(value, subject), subject),
  suites: (value: unknown, subject: string): SuiteName[] => [...new Set(some(oneOf("suite", SUITE_NAMES), "suite")(value, subject))],
  scenarios,
  thresholds: (value: unknown, subject: string) => validateThresholdOverrides(value, { all: subject, one: (id) => `${subject}["${id}"]` }),
  window: field(PlanSchema.entries.window, "a positive integer"),
  timeoutMs: field(
    v.pipe(PlanSchema.entries.timeoutMs, v.maxValue(MAX_TIMEOUT_MS)),
    `a positive integer of milliseconds, at most ${MAX_TIMEOUT_MS}`,
  ),
  warmup: field(v.boolean(), "true or false"),
  target: (value: unknown, subject: string): string => {
    const { url, allowRemote } = value as { url: unknown; allowRemote?: boolean };
    return checkTarget(String(url), allowRemote ?? false, subject);
  },
  connectionsPerProcess: field(positiveInt, "a positive integer"),
  rate: field(aboveZero, "a number of messages per second above 0"),
  p99BoundMs: field(aboveZero, "a number of milliseconds above 0"),
  onError: oneOf("policy", ["continue", "stop"] as const),
  shard: field(PlanSchema.entries.shard.wrapped, "shard I of N with 0 ≤ I < N, e.g. 0/3, 1/3 and 2/3 for three shards"),
  startAt: (value: unknown, subject: string): string => checkStartAt(value as string | Date, Date.now(), subject),
  profile,
  headers,
  query: pairs("query parameter"),
  auth: pairs("field"),
  subprotocols: (value: unknown, subject: string): string[] => {
    const list = field(v.array(v.string()), "a list of subprotocol names")(value, subject);
    for (const p of list) checkSubprotocol(p, subject);
    return [...new Set(list)];
  },
  tokens,
  conform: field(v.boolean(), "true or false"),
  ca: (value: unknown, subject: string): string => {
    if (typeof value === "string" && value.includes("-----BEGIN CERTIFICATE-----")) return value;
    throw inputError(subject, "not a PEM certificate", "PEM text with a -----BEGIN CERTIFICATE----- block");
  },
};
type Inputs = typeof INPUTS;

/** One input, checked: its value as the builder keeps it, or a RangeError worded with `naming`'s name for it. */
export function checkInput<K extends keyof Inputs>(key: K, value: unknown, naming: Naming): ReturnType<Inputs[K]> {
  return INPUTS[key](value, naming[key]) as ReturnType<Inputs[K]>;
}

/** Choices that cannot go together, each fine alone; named both ways, since either caller may have made them. */
export function checkCombination(input: PlanInput): void {
  const { profile, target } = input;
  const speaksReference = profile === undefined || (typeof profile === "string" ? profile === "wsstress" : profile.reference);
  if (!speaksReference && !target) {
    const name = typeof profile === "string" ? profile : profile.name;
    throw inputError(
      "profile",
      `${name} speaks to a server of yours, and no target names it`,
      "a target(url) (--target URL) with it; the embedded server speaks wsstress",
    );
  }
  if (input.p99BoundMs !== undefined && input.shard !== undefined) {
    throw inputError(
      "p99Bound (--p99-bound)",
      "searches one server's fan-out knee in one process and cannot be split over shards",
      "the knee search without shard (--shard)",
    );
  }
}

/** lowest load first, so degradation reads from the bottom level to the top one */
const byLoad = (a: Level, b: Level): number => a.operations - b.operations || a.connections - b.connections;

const profileRef = (profile: string | Profile): { name: string; module?: string } =>
  typeof profile === "string"
    ? { name: builtinProfile(profile)?.name ?? profile, module: profile }
    : { name: profile.name, ...(profile.module ? { module: profile.module } : {}) };

/** The plan a result records: levels by load, suites in the seed's order, the profile by name and the connection settings by name only. */
export function planOf(input: PlanInput): Plan {
  checkCombination(input);
  const { levels, thresholds, window, timeoutMs, warmup, target, connectionsPerProcess, onError, rate, p99BoundMs, shard, startAt } = input;
  const { profile, connection, conform } = input;
  const connectionRecord = connectionPlan(connection);
  const scenarios = scenarioRefs(input.scenarios ?? []);
  // a run of scenarios runs them alone, unless suites are named too
  const suites = input.suites ?? (scenarios.length > 0 ? [] : SUITE_NAMES);
  if (scenarios.length > 0) checkScenarioThresholds(thresholds as Record<string, Threshold>, { scenarios });
  return {
    levels: [...levels].sort(byLoad),
    suites: SUITE_NAMES.filter((s) => suites.includes(s)),
    ...(scenarios.length > 0 ? { scenarios } : {}),
    thresholds: thresholds as Record<string, Threshold>,
    window,
    timeoutMs,
    warmup,
    ...(target ? { target } : {}),
    ...(connectionsPerProcess ? { connectionsPerProcess } : {}),
    ...(rate ? { rate } : {}),
    ...(p99BoundMs ? { p99BoundMs } : {}),
    ...(onError ? { onError } : {}),
    ...(profile !== undefined ? { profile: profileRef(profile) } : {}),
    ...(connectionRecord ? { connection: connectionRecord } : {}),
    ...(shard ? { shard } : {}),
    ...(startAt ? { startAt } : {}),
    ...(conform ? { conform } : {}),
  };
}

/** What the plan records of each scenario; a module path must be loaded first (the run does it). */
function scenarioRefs(given: readonly (string | Scenario<unknown>)[]): ScenarioRef[] {
  return given.map((s) => {
    if (typeof s !== "string") return s.ref;
    throw inputError(
      "scenario",
      `${s} is loaded when the run starts, so the plan cannot name it yet`,
      "run() it, or pass what defineScenario() returns",
    );
  });
}

/** Every seed level of at most `operations`, for `maxLoad(n)` and `--max-load N`: a RangeError when that selects no level. */
export function levelsWithin(operations: unknown, subject: string): Level[] {
  const allowed = `a number of operations, at least ${LEVELS[0].operations} (the smallest level, minimal)`;
  if (typeof operations !== "number" || Number.isNaN(operations)) {
    throw inputError(subject, `${JSON.stringify(operations)} is not a number`, allowed);
  }
  const levels = LEVELS.filter((l) => l.operations <= operations);
  if (levels.length === 0) throw inputError(subject, `${operations} selects no level`, allowed);
  return levels;
}
