/**
 * `defineScenario`: a user's own flow, run as one more suite at every level.
 * Each virtual user holds one connection opened through the run's profile
 * (its setup, heartbeats and framing) and runs `setup`, then `run` for its
 * iterations, then `teardown`; every verb it uses is timed into the
 * scenario's histograms (`load/virtual-user.ts`).
 *
 * @example
 * ```ts
 * import { defineScenario } from "../../mod.ts";
 * export default defineScenario({
 *   name: "echo-flow",
 *   async run(vu) {
 *     await vu.echo("hello");
 *     await vu.think(10, 20);
 *   },
 * });
 * ```
 */
import * as v from "valibot";
import { inputError } from "../model/input-error.ts";
import { isBuiltinSuite, SCENARIO_NAME, SUITE_NAMES } from "../model/result-names.ts";
import {
  type LoadModel,
  LoadModelSchema,
  MAX_STAGE_MS,
  type ScenarioRef,
  USER_METRIC_NAME,
  type UserMetric,
} from "../model/scenario-plan.ts";
import { ThresholdSchema } from "../model/level-result.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { VirtualUser } from "../load/virtual-user.ts";
import { AUTH_ROLES, type AuthRole } from "../profiles/profile.ts";
import { reservedMetricName } from "./scenario-metrics.ts";

/** A metric the scenario records through `vu.metric(name)`. */
export type MetricDeclaration = {
  kind: "counter" | "histogram" | "rate";
  /** how reports name it (the name itself when absent) */
  label?: string;
  /** "ms" for a histogram, "%" for a rate, none for a counter when absent */
  unit?: string;
  /** which way is better: a histogram's lower, else none, when absent; a threshold needs higher or lower */
  better?: "higher" | "lower" | "none";
  /** judges the count, the p99 or the rate: higher passes above `excellent`, warns above `good`; lower the reverse */
  threshold?: { excellent: number; good: number };
};

/** A stage of the open or ramping model: over `durationMs`, the rate or the live virtual users go linearly to `target`. */
export type Stage = { durationMs: number; target: number };

/** How virtual users come; `closed` when absent. */
export type LoadInput =
  | { executor: "closed" }
  /** new virtual users per second, constant for `durationMs` */
  | { executor: "arrival-rate"; rate: number; durationMs: number }
  /** new virtual users per second along the stages, from `start` (0 when absent) */
  | { executor: "arrival-rate"; start?: number; stages: Stage[] }
  /** live virtual users along the stages, from `start` (0 when absent) */
  | { executor: "ramping-vus"; start?: number; stages: Stage[] };

export type ScenarioDefinition<M = Frame> = {
  /** names its suite in results and its metrics (`name.wire.key`): lower-case, digits, _ or -, none of the six suites' names */
  name: string;
  /** one iteration of the flow */
  run(vu: VirtualUser<M>): unknown;
  /** once per virtual user before its iterations (join a room); its verbs are timed too */
  setup?(vu: VirtualUser<M>): unknown;
  /** once per virtual user after its iterations (leave the room) */
  teardown?(vu: VirtualUser<M>): unknown;
  /** reads a frame once, for `request` and `expect` matches (the frame itself when absent); a throw counts it undecodable */
  parse?(frame: Frame): M;
  metrics?: Record<string, MetricDeclaration>;
  /**
   * each virtual user's iterations: the level's messages per connection (closed), 1 (arrival-rate), the stages
   * (ramping-vus) when absent
   */
  iterations?: number;
  /** each virtual user iterates for this long instead of a count */
  durationMs?: number;
  load?: LoadInput;
  /** the role whose token each virtual user authenticates with as its connection opens (publishing needs one on the reference server) */
  role?: AuthRole;
  /** pushes buffered per virtual user while it does something else (4096 when absent); past it the oldest go, counted */
  inbox?: number;
};

/** What `defineScenario` returns: the plan's record of it, and its code. */
export type Scenario<M = Frame> = {
  readonly name: string;
  /** what a plan and a result record of it */
  readonly ref: ScenarioRef;
  parse(frame: Frame): M;
  setup?(vu: VirtualUser<M>): unknown;
  run(vu: VirtualUser<M>): unknown;
  teardown?(vu: VirtualUser<M>): unknown;
};

export const DEFAULT_INBOX = 4096;
const SHAPE = "{ name, run, setup?, teardown?, parse?, metrics?, iterations?, durationMs?, load?, role?, inbox? }";
const isFn = (f: unknown): boolean => typeof f === "function";
const positiveInt = (n: unknown, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isSafeInteger(n) && (n as number) >= 1 && (n as number) <= max;

function userMetric(name: string, d: MetricDeclaration, fail: (subject: string, problem: string, allowed: string) => never): UserMetric {
  const subject = `metrics.${name}`;
  if (!USER_METRIC_NAME.test(name)) {
    fail(subject, "not a metric name", "lower-case letters, digits and _, starting with a letter, at most 48");
  }
  if (typeof d !== "object" || d === null || !["counter", "histogram", "rate"].includes(d.kind)) {
    fail(`${subject}.kind`, `${JSON.stringify(d?.kind)}`, "counter, histogram or rate");
  }
  const reserved = reservedMetricName(name, d.kind);
  if (reserved) fail(subject, reserved, "a name of your own");
  const better = d.better ?? (d.kind === "histogram" ? "lower" : "none");
  if (!["higher", "lower", "none"].includes(better)) fail(`${subject}.better`, JSON.stringify(better), "higher, lower or none");
  const unit = d.unit ?? (d.kind === "histogram" ? "ms" : d.kind === "rate" ? "%" : "");
  if (typeof unit !== "string" || (d.label !== undefined && typeof d.label !== "string")) {
    fail(subject, "label and unit must be strings", "strings");
  }
  const m: UserMetric = { kind: d.kind, label: d.label ?? name.replaceAll("_", " "), unit, better };
  if (d.threshold === undefined) return m;
  if (better === "none") fail(`${subject}.threshold`, "a threshold needs to know which way is better", 'better: "higher" or "lower"');
  const threshold = v.safeParse(ThresholdSchema, { better, excellent: d.threshold?.excellent, good: d.threshold?.good });
  if (!threshold.success) {
    fail(`${subject}.threshold`, threshold.issues[0].message, "{ excellent, good }: finite numbers, excellent at least as strict as good");
  }
  return { ...m, threshold: threshold.output };
}

function loadModel(load: LoadInput | undefined, fail: (subject: string, problem: string, allowed: string) => never): LoadModel {
  if (load === undefined) return { executor: "closed" };
  const given = load as Record<string, unknown>;
  const model = given?.executor === "arrival-rate" && given.rate !== undefined
    ? { executor: "arrival-rate", start: given.rate, stages: [{ durationMs: given.durationMs, target: given.rate }] }
    : { ...given, ...(given?.executor !== "closed" && given?.start === undefined ? { start: 0 } : {}) };
  const parsed = v.safeParse(LoadModelSchema, model);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join(".");
  return fail(
    `load${path ? `.${path}` : ""}`,
    issue.message,
    `{ executor: "closed" }, { executor: "arrival-rate", rate, durationMs }, ` +
      `{ executor: "arrival-rate" | "ramping-vus", start?, stages: [{ durationMs (1 to ${MAX_STAGE_MS}), target ≥ 0 }] }`,
  );
}

/** Validates a scenario; throws a RangeError naming what is wrong and what is allowed. `module`: where worker processes load it from. */
export function defineScenario<M = Frame>(def: ScenarioDefinition<M>, module?: string): Scenario<M> {
  const named = typeof def?.name === "string" ? `defineScenario(${JSON.stringify(def.name)})` : "defineScenario";
  const fail = (subject: string, problem: string, allowed: string): never => {
    throw inputError(`${named}: ${subject}`, problem, allowed);
  };
  if (typeof def !== "object" || def === null) {
    fail("the definition", `expected an object, got ${def === null ? "null" : typeof def}`, SHAPE);
  }
  if (typeof def.name !== "string" || !SCENARIO_NAME.test(def.name)) {
    fail("name", JSON.stringify(def.name), "lower-case letters, digits, _ or -, starting with a letter, at most 48");
  }
  if (isBuiltinSuite(def.name)) fail("name", `"${def.name}" is a built-in suite`, `a name other than ${SUITE_NAMES.join(", ")}`);
  if (!isFn(def.run)) fail("run", `${typeof def.run} is not a function`, "async run(vu) { … }");
  for (const key of ["setup", "teardown", "parse"] as const) {
    if (def[key] !== undefined && !isFn(def[key])) fail(key, `${typeof def[key]} is not a function`, "a function");
  }
  if (def.iterations !== undefined && !positiveInt(def.iterations)) fail("iterations", String(def.iterations), "a positive integer");
  if (def.durationMs !== undefined && !positiveInt(def.durationMs, MAX_STAGE_MS)) {
    fail("durationMs", String(def.durationMs), `a positive integer of ms, at most ${MAX_STAGE_MS}`);
  }
  if (def.iterations !== undefined && def.durationMs !== undefined) {
    fail("iterations and durationMs", "both given", "one of them: a count or a duration");
  }
  if (def.inbox !== undefined && !positiveInt(def.inbox, 1_000_000)) {
    fail("inbox", String(def.inbox), "a positive integer, at most 1,000,000");
  }
  if (def.role !== undefined && !(AUTH_ROLES as readonly string[]).includes(def.role)) {
    fail("role", JSON.stringify(def.role), AUTH_ROLES.join(", "));
  }
  if (def.metrics !== undefined && (typeof def.metrics !== "object" || def.metrics === null)) {
    fail("metrics", "not an object", "{ name: { kind, unit?, threshold? } }");
  }
  const load = loadModel(def.load, fail);
  if (def.durationMs !== undefined && load.executor !== "closed") {
    fail("durationMs", `applies to the closed model, not ${load.executor}`, "iterations with it");
  }
  const ref: ScenarioRef = {
    name: def.name,
    ...(module ? { module } : {}),
    load,
    ...(def.iterations !== undefined ? { iterations: def.iterations } : {}),
    ...(def.durationMs !== undefined ? { durationMs: def.durationMs } : {}),
    inbox: def.inbox ?? DEFAULT_INBOX,
    ...(def.role ? { role: def.role } : {}),
    metrics: Object.fromEntries(Object.entries(def.metrics ?? {}).map(([name, d]) => [name, userMetric(name, d, fail)])),
  };
  const identity = (frame: Frame) => frame as M;
  return Object.freeze({
    name: def.name,
    ref,
    parse: def.parse ?? identity,
    run: def.run,
    ...(def.setup ? { setup: def.setup } : {}),
    ...(def.teardown ? { teardown: def.teardown } : {}),
  });
}

/** Whether `value` is what `defineScenario` returns. */
export const isScenario = (value: unknown): value is Scenario<unknown> =>
  typeof value === "object" && value !== null && typeof (value as Scenario).run === "function" &&
  typeof (value as Scenario).ref === "object" && typeof (value as Scenario).name === "string";

/** The scenario with `module` as where worker processes load it from. */
export const fromModule = <M>(scenario: Scenario<M>, module: string): Scenario<M> =>
  Object.freeze({ ...scenario, ref: { ...scenario.ref, module } });
