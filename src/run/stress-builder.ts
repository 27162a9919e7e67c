/**
 * @module
 * The immutable fluent builder behind `stress()`. Every call returns a new
 * builder, so a harness can branch one base configuration. Each method checks
 * its input once, against the plan-input schema (`plan-input.ts`); `run()`
 * turns the input into a plan and hands it to the runner.
 *
 * @example
 * ```ts
 * import { stress } from "../../mod.ts";
 * const base = stress().suite("message");
 * const report = await base.level("light").run();
 * console.log(report.markdown());
 * ```
 */
import { inputError } from "../model/input-error.ts";
import { type LevelName, levelsUpTo, QUICK_MAX_OPERATIONS } from "../model/levels.ts";
import type { ProgressListener } from "../model/progress-events.ts";
import type { Plan, SuiteName, Threshold } from "../model/result.ts";
import { builtinProfile } from "../profiles/builtin.ts";
import type { ConnectionSettings } from "../profiles/connection-settings.ts";
import type { AuthRole, Profile } from "../profiles/profile.ts";
import type { Scenario } from "../suites/scenario-definition.ts";
import { createReport, type Report } from "../report/run-report.ts";
import type { MetricId } from "../suites/metric-catalogue.ts";
import { MatrixBuilder, type RuntimeChoice } from "./matrix-builder.ts";
import { checkInput, DEFAULT_INPUT, IN_CODE, type LevelInput, levelsWithin, type OnError, type PlanInput, planOf } from "./plan-input.ts";
import type { HostAbilities, Platform } from "./platform.ts";
import { runPlan } from "./runner.ts";
import { checkDashboardPort, type DashboardOptions, startDashboard } from "./live-dashboard.ts";

export type { DashboardOptions, LevelInput, OnError };

/** The plan input and how the run reports and where it runs. */
export type StressConfig = PlanInput & {
  readonly onProgress?: ProgressListener;
  readonly platform?: Platform;
  readonly dashboard?: DashboardOptions;
};

export class StressBuilder {
  readonly #config: StressConfig;
  readonly #host: HostAbilities | undefined;

  /**
   * `config`: an input already checked (what `checkInput` returns, as the CLI
   * builds it); `host`: the machine's abilities a run uses unless
   * `.platform()` names others. Start from `stress()`, which passes both.
   */
  constructor(config: StressConfig = DEFAULT_INPUT, host?: HostAbilities) {
    this.#config = config;
    this.#host = host;
  }

  #with(change: Partial<StressConfig>): StressBuilder {
    return new StressBuilder({ ...this.#config, ...change }, this.#host);
  }

  /** Runs these levels (seed names or custom level objects), replacing any earlier choice. */
  level(...levels: LevelInput[]): StressBuilder {
    return this.#with({ levels: checkInput("levels", levels, IN_CODE) });
  }

  levels(...levels: LevelInput[]): StressBuilder {
    return this.level(...levels);
  }

  /** Every seed level from minimal up to `name`. */
  upTo(name: LevelName): StressBuilder {
    checkInput("levels", [name], { ...IN_CODE, levels: "upTo" });
    return this.#with({ levels: levelsUpTo(name) });
  }

  /** Every seed level whose operations are at most `operations`. */
  maxLoad(operations: number): StressBuilder {
    return this.#with({ levels: levelsWithin(operations, "maxLoad") });
  }

  /** minimal, light, low and medium: up to 100K operations */
  quick(): StressBuilder {
    return this.maxLoad(QUICK_MAX_OPERATIONS);
  }

  /** Runs these suites, replacing any earlier choice. */
  suite(...suites: SuiteName[]): StressBuilder {
    return this.#with({ suites: checkInput("suites", suites, IN_CODE) });
  }

  suites(...suites: SuiteName[]): StressBuilder {
    return this.suite(...suites);
  }

  /**
   * Runs your scenarios, replacing any earlier choice: each is one more
   * suite at every level (`level.connections` virtual users running its
   * flow). Give what `defineScenario` returns, or its module's path (loaded
   * when the run starts, and again by worker processes). Without `.suite()`
   * a run of scenarios runs them alone.
   */
  scenario(...scenarios: Array<Scenario<unknown> | string>): StressBuilder {
    return this.#with({ scenarios: checkInput("scenarios", scenarios, IN_CODE) });
  }

  scenarios(...scenarios: Array<Scenario<unknown> | string>): StressBuilder {
    return this.scenario(...scenarios);
  }

  /** Overrides thresholds by `suite.layer.key`, e.g. `{ "message.wire.rtt_p99_ms": { better: "lower", excellent: 5, good: 20 } }`. */
  thresholds(overrides: Partial<Record<MetricId, Threshold>>): StressBuilder {
    return this.#with({ thresholds: { ...this.#config.thresholds, ...checkInput("thresholds", overrides, IN_CODE) } });
  }

  /**
   * Requests in flight per connection in the capacity phase (closed loop) of the message, subscription and permission
   * suites; 16 when not called.
   */
  window(messages: number): StressBuilder {
    return this.#with({ window: checkInput("window", messages, IN_CODE) });
  }

  /** Upper bound on any single wait: a handshake, a silence with no reply on any connection, a drain. */
  timeout(ms: number): StressBuilder {
    return this.#with({ timeoutMs: checkInput("timeoutMs", ms, IN_CODE) });
  }

  /**
   * Runs against a server of your own instead of the embedded one. Only
   * loopback addresses unless `allowRemote` is true.
   */
  target(url: string, options: { allowRemote?: boolean } = {}): StressBuilder {
    return this.#with({ target: checkInput("target", { url, allowRemote: options.allowRemote }, IN_CODE) });
  }

  /**
   * The protocol the suites speak: `"wsstress"` (the reference protocol, the
   * default), `"echo"` (any echo server), a module path whose default export
   * is a `defineProtocol(...)` profile, or that profile itself. A profile
   * other than wsstress needs `.target()`. Levels that need worker processes
   * load the profile again by module path, so an object is refused for them.
   */
  profile(profile: string | Profile): StressBuilder {
    return this.#with({ profile: checkInput("profile", profile, IN_CODE) });
  }

  /** Extra headers on every handshake (Authorization, Cookie, …). Their values never reach a result; their names do. */
  headers(headers: Record<string, string>): StressBuilder {
    return this.#connection({ headers: { ...this.#config.connection.headers, ...checkInput("headers", headers, IN_CODE) } });
  }

  /** Query parameters added to every connection's URL. Their values never reach a result; their names do. */
  query(query: Record<string, string>): StressBuilder {
    return this.#connection({ query: { ...this.#config.connection.query, ...checkInput("query", query, IN_CODE) } });
  }

  /**
   * The handshake payload of protocols that carry one: Socket.IO's CONNECT `auth` (a role's token joins it as
   * `token`), a login's fields. Its values never reach a result; its field names do.
   */
  auth(auth: Record<string, string>): StressBuilder {
    return this.#connection({ auth: { ...this.#config.connection.auth, ...checkInput("auth", auth, IN_CODE) } });
  }

  /** Subprotocols to offer on every handshake, in order of preference; the one chosen is reported. */
  subprotocols(...protocols: string[]): StressBuilder {
    return this.#connection({ protocols: checkInput("subprotocols", protocols, IN_CODE) });
  }

  /** The token each role authenticates with in the permission suite (and the broadcast publisher). Never written to a result. */
  tokens(tokens: Partial<Record<AuthRole, string>>): StressBuilder {
    return this.#connection({ tokens: { ...this.#config.connection.tokens, ...checkInput("tokens", tokens, IN_CODE) } });
  }

  /** A CA certificate (PEM text) to trust for a wss:// target, besides the system's. */
  ca(pem: string): StressBuilder {
    return this.#connection({ ca: checkInput("ca", pem, IN_CODE) });
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
    return this.#with({ connectionsPerProcess: checkInput("connectionsPerProcess", connections, IN_CODE) });
  }

  /**
   * The message suite's latency at load at `perSecond` messages over all
   * connections, on a fixed schedule, each timed from its intended send time
   * (no coordinated omission). Half the capacity just measured when not called.
   */
  rate(perSecond: number): StressBuilder {
    return this.#with({ rate: checkInput("rate", perSecond, IN_CODE) });
  }

  /**
   * Broadcast also searches, over the same subscribers, for the highest
   * delivery rate at which publish-to-receipt p99 stays at or under `ms`:
   * short fixed-rate steps that grow or shrink, then bisect. Reports that
   * knee and the first rate that broke the bound. No search when not called.
   */
  p99Bound(ms: number): StressBuilder {
    return this.#with({ p99BoundMs: checkInput("p99BoundMs", ms, IN_CODE) });
  }

  /** Whether to run an untimed pass of every suite at a tiny level first (default true). */
  /**
   * Also runs a sample of the conformance cases (`conform()`'s, one per
   * distinct behaviour) on extra connections at every level while the suites
   * load the server; a protocol violation under load fails the level.
   */
  conform(enabled = true): StressBuilder {
    return this.#with({ conform: checkInput("conform", enabled, IN_CODE) });
  }

  warmup(enabled: boolean): StressBuilder {
    return this.#with({ warmup: checkInput("warmup", enabled, IN_CODE) });
  }

  /**
   * After a suite that failed (threw part-way): `"continue"` (the default) runs
   * the remaining suites and levels; `"stop"` ends the run there, keeping
   * everything finished, with status `partial`.
   */
  onError(policy: OnError): StressBuilder {
    return this.#with({ onError: checkInput("onError", policy, IN_CODE) });
  }

  /**
   * Runs only shard `index` of `count` (0-based): an even slice of every
   * level's connections, messages and broadcast subscribers; the engine layer
   * and the compression suite run on shard 0 alone. The result says which
   * slice it was; `wsstress merge` joins the shards' results into one.
   */
  shard(index: number, count: number): StressBuilder {
    return this.#with({ shard: checkInput("shard", { index, count }, IN_CODE) });
  }

  /**
   * Starts the levels at this instant (the warm-up runs before the wait), so
   * shards on several machines load the server together. A time already past
   * starts at once; at most 24 h ahead.
   */
  startAt(time: string | Date): StressBuilder {
    return this.#with({ startAt: checkInput("startAt", time, IN_CODE) });
  }

  onProgress(listener: ProgressListener): StressBuilder {
    if (typeof listener !== "function") {
      throw inputError("onProgress", `${typeof listener} is not a function`, "a function of one progress event");
    }
    return this.#with({ onProgress: listener });
  }

  /**
   * Serves a live dashboard while the run goes: each suite's rate, latency
   * percentiles, live sockets, errors and generator load as charts, with the
   * finished levels' figures beside them; when the run ends the page becomes
   * the final HTML report. On loopback only unless `allowRemote`; port 5665
   * unless `port` says otherwise (0: any free one). Its address comes first
   * to `onProgress`, as a `dashboard` event.
   */
  dashboard(options: DashboardOptions = {}): StressBuilder {
    if (options.port !== undefined) checkDashboardPort(options.port, "dashboard({ port })");
    return this.#with({ dashboard: { ...options } });
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
    if (this.#config.scenarios?.length) {
      throw inputError(
        "runtimes",
        "the runtime matrix runs the built-in suites, and this builder has scenarios",
        "runtimes() without scenario()",
      );
    }
    return new MatrixBuilder(this.plan(), choice, { host: this.#host });
  }

  /** The plan this builder would run: its levels by load, its profile and connection settings by name only. */
  plan(): Plan {
    return planOf(this.#config);
  }

  async run(options: { signal?: AbortSignal } = {}): Promise<Report> {
    // bad input fails before any platform starts; scenarios by path are named once loaded
    this.#with({ scenarios: this.#config.scenarios?.filter((s) => typeof s !== "string") }).plan();
    const { profile: spec, connection } = this.#config;
    const platform = this.#config.platform ?? (await this.#host?.platform());
    if (!platform) {
      throw new TypeError(
        "this StressBuilder has no platform to run on: start from stress(), which runs on this machine, or pass .platform(…)",
      );
    }
    // a name or a path becomes the profile itself (a module is loaded from the working directory), a path the scenario
    const profile = typeof spec === "string" ? (builtinProfile(spec) ?? (await platform.loadProfile(spec))) : spec;
    const scenarios = await Promise.all((this.#config.scenarios ?? []).map((s) => (typeof s === "string" ? platform.loadScenario(s) : s)));
    const loaded = this.#with({
      ...(profile ? { profile } : {}),
      ...(scenarios.length > 0 ? { scenarios: checkInput("scenarios", scenarios, IN_CODE) } : {}),
    });
    const plan = loaded.plan();
    const user = this.#config.onProgress;
    const dashboard = this.#config.dashboard && (await startDashboard(platform, this.#config.dashboard));
    if (dashboard) user?.({ type: "dashboard", url: dashboard.url, remote: dashboard.remote });
    const onProgress: ProgressListener | undefined = dashboard ? (e) => (dashboard.listener(e), user?.(e)) : user;
    try {
      return createReport(await runPlan(plan, { platform, signal: options.signal, onProgress, profile, connection, scenarios }));
    } finally {
      await dashboard?.close();
    }
  }
}

/** A builder with the seed's defaults (all eight levels, all six suites) that runs on `host` (`stress()` is this on this machine). */
export function stressOn(host: HostAbilities): StressBuilder {
  return new StressBuilder(DEFAULT_INPUT, host);
}
