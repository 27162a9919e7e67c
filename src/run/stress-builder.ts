/**
 * @module
 * The immutable fluent builder behind `stress()`. Every call returns a new
 * builder, so a harness can branch one base configuration; `run()` turns the
 * configuration into a validated plan and hands it to the runner.
 *
 * @example
 * ```ts
 * import { stress } from "../../mod.ts";
 * const base = stress().suite("message");
 * const report = await base.level("light").run();
 * console.log(report.markdown());
 * ```
 */
import * as v from "valibot";
import { builtinProfile } from "../profiles/builtin.ts";
import { MatrixBuilder, type RuntimeChoice } from "./matrix-builder.ts";
import { createReport, type Report } from "../report/run-report.ts";
import { type Plan, PlanSchema, SUITE_NAMES, type SuiteName, type Threshold } from "../model/result.ts";
import { type Level, type LevelName, LEVEL_NAMES, LEVELS, levelsUpTo, levelsUpToOperations, QUICK_MAX_OPERATIONS } from "../model/levels.ts";
import type { ProgressListener } from "../model/progress-events.ts";
import { runPlan } from "./runner.ts";
import type { HostAbilities, Platform } from "./platform.ts";
import type { ShardOf } from "../load/placement.ts";
import { checkStartAt } from "./start-at.ts";
import { byLoad, checkCa, checkCombination, checked, checkProfile, checkTokens, distinct, type LevelInput, MAX_TIMEOUT_MS, profileRef, toLevel, toSuite } from "./builder-inputs.ts";
import { checkTarget } from "../model/loopback-target.ts";
import type { AuthRole, Profile } from "../profiles/profile.ts";
import { type ConnectionSettings, connectionPlan } from "../profiles/connection-settings.ts";
import { checkHeader, checkSubprotocol } from "../model/handshake-values.ts";
import { validateThresholdOverrides } from "../suites/metric-catalogue.ts";

export type { LevelInput };

/** What a run does after a suite that failed: go on with the rest, or stop there (status partial). */
export type OnError = "continue" | "stop";

type Config = {
  readonly levels: readonly Level[];
  readonly suites: readonly SuiteName[];
  readonly thresholds: Readonly<Record<string, Threshold>>;
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
  readonly onProgress?: ProgressListener;
  readonly platform?: Platform;
  /** a built-in name, a module path (loaded by run()), or a profile object */
  readonly profile?: string | Profile;
  readonly connection: ConnectionSettings;
};

export const DEFAULTS: Config = Object.freeze({
  levels: LEVELS,
  suites: SUITE_NAMES,
  thresholds: {},
  window: 1,
  timeoutMs: 10_000,
  warmup: true,
  connection: {},
});

export class StressBuilder {
  readonly #config: Config;
  readonly #host: HostAbilities | undefined;

  /** `host`: the machine's abilities a run uses unless `.platform()` names others (what `stress()` passes) */
  constructor(config: Config = DEFAULTS, host?: HostAbilities) {
    this.#config = config;
    this.#host = host;
  }

  #with(change: Partial<Config>): StressBuilder {
    return new StressBuilder({ ...this.#config, ...change }, this.#host);
  }

  /** Runs these levels (seed names or custom level objects), replacing any earlier choice. */
  level(...levels: LevelInput[]): StressBuilder {
    if (levels.length === 0) throw new RangeError(`level() needs at least one level; allowed: ${LEVEL_NAMES.join(", ")}`);
    return this.#with({ levels: distinct(levels.map(toLevel)) });
  }

  levels(...levels: LevelInput[]): StressBuilder {
    return this.level(...levels);
  }

  /** Every seed level from minimal up to `name`. */
  upTo(name: LevelName): StressBuilder {
    toLevel(name);
    return this.#with({ levels: levelsUpTo(name) });
  }

  /** Every seed level whose operations are at most `operations`. */
  maxLoad(operations: number): StressBuilder {
    const levels = levelsUpToOperations(operations);
    if (!Number.isFinite(operations) || levels.length === 0) {
      throw new RangeError(`maxLoad(${operations}) selects no level; the smallest level has ${LEVELS[0].operations} operations`);
    }
    return this.#with({ levels });
  }

  /** minimal, light, low and medium: up to 100K operations */
  quick(): StressBuilder {
    return this.maxLoad(QUICK_MAX_OPERATIONS);
  }

  /** Runs these suites, replacing any earlier choice. */
  suite(...suites: SuiteName[]): StressBuilder {
    if (suites.length === 0) throw new RangeError(`suite() needs at least one suite; allowed: ${SUITE_NAMES.join(", ")}`);
    return this.#with({ suites: [...new Set(suites.map(toSuite))] });
  }

  suites(...suites: SuiteName[]): StressBuilder {
    return this.suite(...suites);
  }

  /** Overrides thresholds by `suite.layer.key`, e.g. `{ "message.wire.rtt_p99_ms": { better: "lower", excellent: 5, good: 20 } }`. */
  thresholds(overrides: Record<string, Threshold>): StressBuilder {
    return this.#with({ thresholds: { ...this.#config.thresholds, ...validateThresholdOverrides(overrides) } });
  }

  /** Messages in flight per connection in the message, subscription and permission suites (closed loop). */
  window(messages: number): StressBuilder {
    return this.#with({ window: checked("window", PlanSchema.entries.window, messages, "a positive integer") });
  }

  /** Upper bound on any single wait: a handshake, a silence with no reply on any connection, a drain. */
  timeout(ms: number): StressBuilder {
    const allowed = `a positive integer of milliseconds, at most ${MAX_TIMEOUT_MS}`;
    return this.#with({ timeoutMs: checked("timeout", v.pipe(PlanSchema.entries.timeoutMs, v.maxValue(MAX_TIMEOUT_MS)), ms, allowed) });
  }

  /**
   * Runs against a server of your own instead of the embedded one. Only
   * loopback addresses unless `allowRemote` is true.
   */
  target(url: string, options: { allowRemote?: boolean } = {}): StressBuilder {
    return this.#with({ target: checkTarget(url, options.allowRemote ?? false) });
  }

  /**
   * The protocol the suites speak: `"wsstress"` (the reference protocol, the
   * default), `"echo"` (any echo server), a module path whose default export
   * is a `defineProtocol(...)` profile, or that profile itself. A profile
   * other than wsstress needs `.target()`. Levels that need worker processes
   * load the profile again by module path, so an object is refused for them.
   */
  profile(profile: string | Profile): StressBuilder {
    return this.#with({ profile: checkProfile(profile) });
  }

  /** Extra headers on every handshake (Authorization, Cookie, …). Their values never reach a result; their names do. */
  headers(headers: Record<string, string>): StressBuilder {
    for (const [name, value] of Object.entries(headers)) checkHeader(name, value);
    return this.#connection({ headers: { ...this.#config.connection.headers, ...headers } });
  }

  /** Subprotocols to offer on every handshake, in order of preference; the one chosen is reported. */
  subprotocols(...protocols: string[]): StressBuilder {
    for (const p of protocols) checkSubprotocol(p);
    return this.#connection({ protocols: [...new Set(protocols)] });
  }

  /** The token each role authenticates with in the permission suite (and the broadcast publisher). Never written to a result. */
  tokens(tokens: Partial<Record<AuthRole, string>>): StressBuilder {
    return this.#connection({ tokens: { ...this.#config.connection.tokens, ...checkTokens(tokens) } });
  }

  /** A CA certificate (PEM text) to trust for a wss:// target, besides the system's. */
  ca(pem: string): StressBuilder {
    return this.#connection({ ca: checkCa(pem) });
  }

  #connection(change: Partial<ConnectionSettings>): StressBuilder {
    return this.#with({ connection: { ...this.#config.connection, ...change } });
  }

  /**
   * Most connections one process holds, load worker or server (15,000 by
   * default, under the 20,000 open files a process may have here); a level
   * beyond it is spread over several of each.
   */
  connectionsPerProcess(connections: number): StressBuilder {
    return this.#with({ connectionsPerProcess: v.parse(v.pipe(v.number(), v.integer(), v.minValue(1)), connections) });
  }

  /**
   * Open loop for the message suite: `perSecond` messages over all
   * connections on a fixed schedule, each timed from its intended send time
   * (no coordinated omission). Closed loop (`window`) when not called.
   */
  rate(perSecond: number): StressBuilder {
    return this.#with({ rate: v.parse(v.pipe(v.number(), v.finite(), v.gtValue(0, "rate must be above 0 messages per second")), perSecond) });
  }

  /**
   * Broadcast also searches, over the same subscribers, for the highest
   * delivery rate at which publish-to-receipt p99 stays at or under `ms`:
   * short fixed-rate steps that grow or shrink, then bisect. Reports that
   * knee and the first rate that broke the bound. No search when not called.
   */
  p99Bound(ms: number): StressBuilder {
    return this.#with({ p99BoundMs: v.parse(v.pipe(v.number(), v.finite(), v.gtValue(0, "p99Bound must be above 0 ms")), ms) });
  }

  /** Whether to run an untimed pass of every suite at a tiny level first (default true). */
  warmup(enabled: boolean): StressBuilder {
    return this.#with({ warmup: checked("warmup", v.boolean(), enabled, "true or false") });
  }

  /**
   * After a suite that failed (threw part-way): `"continue"` (the default) runs
   * the remaining suites and levels; `"stop"` ends the run there, keeping
   * everything finished, with status `partial`.
   */
  onError(policy: OnError): StressBuilder {
    return this.#with({ onError: checked("onError", PlanSchema.entries.onError.wrapped, policy, '"continue" or "stop"') });
  }

  /**
   * Runs only shard `index` of `count` (0-based): an even slice of every
   * level's connections, messages and broadcast subscribers; the engine layer
   * and the compression suite run on shard 0 alone. The result says which
   * slice it was; `wsstress merge` joins the shards' results into one.
   */
  shard(index: number, count: number): StressBuilder {
    return this.#with({ shard: checked("shard", PlanSchema.entries.shard.wrapped, { index, count }, "integers 0 ≤ index < count") });
  }

  /**
   * Starts the levels at this instant (the warm-up runs before the wait), so
   * shards on several machines load the server together. A time already past
   * starts at once; at most 24 h ahead.
   */
  startAt(time: string | Date): StressBuilder {
    return this.#with({ startAt: checkStartAt(time) });
  }

  onProgress(listener: ProgressListener): StressBuilder {
    if (typeof listener !== "function") throw new RangeError(`onProgress: expected a function of one progress event, got ${typeof listener}`);
    return this.#with({ onProgress: listener });
  }

  /** Runs on another platform than the current runtime's (used by harnesses and tests). */
  platform(platform: Platform): StressBuilder {
    return this.#with({ platform });
  }

  /**
   * Compares runtimes: this plan on every server × client pairing (all three
   * runtimes on each side by default), each side in a process of its own.
   * Returns a `MatrixBuilder`, whose `run()` resolves to a matrix report.
   */
  runtimes(choice: RuntimeChoice = {}): MatrixBuilder {
    return new MatrixBuilder(this.plan(), choice, { host: this.#host });
  }

  /** The validated plan this builder would run. */
  plan(): Plan {
    const { levels, suites, thresholds, window, timeoutMs, warmup, target, connectionsPerProcess, onError, rate, p99BoundMs, shard, startAt, profile, connection } = this.#config;
    checkCombination({ profile, target, p99BoundMs, shard });
    const connectionRecord = connectionPlan(connection);
    return v.parse(PlanSchema, {
      levels: [...levels].sort(byLoad),
      suites: SUITE_NAMES.filter((s) => suites.includes(s)),
      thresholds,
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
    });
  }

  async run(options: { signal?: AbortSignal } = {}): Promise<Report> {
    this.plan();
    const { profile: spec, connection } = this.#config;
    const platform = this.#config.platform ?? (await this.#host?.platform());
    if (!platform) throw new TypeError("this StressBuilder has no platform to run on: start from stress(), which runs on this machine, or pass .platform(…)");
    // a name or a path becomes the profile itself (a module is loaded from the working directory)
    const profile = typeof spec === "string" ? (builtinProfile(spec) ?? (await platform.loadProfile(spec))) : spec;
    const plan = (profile ? this.#with({ profile }) : this).plan();
    return createReport(await runPlan(plan, { platform, signal: options.signal, onProgress: this.#config.onProgress, profile, connection }));
  }
}

/** A builder with the seed's defaults (all eight levels, all six suites) that runs on `host` (`stress()` is this on this machine). */
export function stressOn(host: HostAbilities): StressBuilder {
  return new StressBuilder(DEFAULTS, host);
}
