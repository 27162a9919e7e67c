/**
 * @module
 * The runtime matrix from the API: `stress()…runtimes({ servers, clients })`
 * returns a `MatrixBuilder` holding the plan; `run()` runs it on every
 * server × client pairing and resolves to a matrix report. Immutable, like
 * the stress builder.
 *
 * @example
 * ```ts
 * import { stress } from "../../mod.ts";
 * const report = await stress().level("medium").suite("message")
 *   .runtimes({ servers: ["node", "deno", "bun"], clients: ["bun"] })
 *   .rounds(3)
 *   .run();
 * console.log(report.markdown());
 * ```
 */
import * as v from "valibot";
import { inputError } from "../model/input-error.ts";
import type { RuntimeName } from "../model/runtime-contract.ts";
import type { Plan } from "../model/result.ts";
import type { MatrixProgressListener } from "../model/progress-events.ts";
import type { HostAbilities, MatrixPlatform } from "./platform.ts";
import { createMatrixReport, type MatrixReport } from "../report/matrix-report.ts";
import { runMatrix } from "./matrix-run.ts";
import { type MatrixPlan, MatrixPlanSchema } from "../model/matrix-document.ts";
import { RUNTIME_NAMES } from "../model/runtime-contract.ts";
import { checkMetricId, checkPercent, DEFAULT_TOLERANCES, type Tolerances } from "../analysis/tolerances.ts";
import { PROCESS_FIGURE_IDS } from "../analysis/matrix-metrics.ts";
import { isMetricId, METRICS } from "../suites/metric-catalogue.ts";

export type RuntimeChoice = {
  /** the runtimes whose reference server is loaded; all three by default */
  servers?: readonly RuntimeName[];
  /** the runtimes that generate the load; all three by default */
  clients?: readonly RuntimeName[];
};

/** 5 rounds of each pairing let the rank test call a lead at 95 % even when one round of the two overlaps; 3 never can. */
export const DEFAULT_ROUNDS = 5;

/** Everything but the plan and the runtimes: how the matrix runs. */
export type MatrixSettings = {
  readonly rounds?: number;
  readonly executables?: Readonly<Partial<Record<RuntimeName, string>>>;
  readonly onProgress?: MatrixProgressListener;
  /** the smallest lead worth a win: for every metric, and by metric id */
  readonly tolerances?: Tolerances;
  readonly platform?: MatrixPlatform;
  /** the machine's abilities, from the entry: the matrix platform when `platform` is not given */
  readonly host?: HostAbilities;
};

function runtimeList(role: "servers" | "clients", names: readonly string[] | undefined): RuntimeName[] {
  const list = [...new Set(names ?? RUNTIME_NAMES)];
  const subject = `runtimes(): ${role}`;
  if (list.length === 0) throw inputError(subject, "needs at least one runtime", { names: RUNTIME_NAMES });
  for (const name of list) {
    if (!(RUNTIME_NAMES as readonly string[]).includes(name)) {
      throw inputError(subject, `unknown runtime "${name}"`, { names: RUNTIME_NAMES, given: name });
    }
  }
  return list as RuntimeName[];
}

/** One server and one client make one pairing, which has nothing to be compared with: bad input, said before anything runs. */
export function checkPairings(servers: readonly string[], clients: readonly string[], subject = "runtimes()"): void {
  if (servers.length > 1 || clients.length > 1) return;
  const one = `${servers[0]}/${clients[0]}`;
  throw inputError(subject, `one server and one client make one pairing (${one}): nothing to compare`, "two or more runtimes on a side");
}

/** Rounds of every pairing: a positive integer, checked with the caller's name for it. */
export function checkRounds(rounds: unknown, subject = "rounds"): number {
  const result = v.safeParse(MatrixPlanSchema.entries.rounds, rounds);
  if (!result.success) throw inputError(subject, result.issues[0].message, "a positive integer");
  return result.output;
}

export class MatrixBuilder {
  readonly #matrix: MatrixPlan;
  readonly #settings: MatrixSettings;

  constructor(plan: Plan, choice: RuntimeChoice = {}, settings: MatrixSettings = {}) {
    if (plan.target) throw inputError("runtimes()", "starts a server per pairing, and the plan has a target", "a plan without target()");
    this.#matrix = v.parse(MatrixPlanSchema, {
      plan,
      servers: runtimeList("servers", choice.servers),
      clients: runtimeList("clients", choice.clients),
      rounds: settings.rounds ?? DEFAULT_ROUNDS,
    });
    checkPairings(this.#matrix.servers, this.#matrix.clients);
    this.#settings = settings;
  }

  #with(change: MatrixSettings): MatrixBuilder {
    const { plan, servers, clients } = this.#matrix;
    return new MatrixBuilder(plan, { servers, clients }, { ...this.#settings, ...change });
  }

  /** Rounds of interleaved pairings (default 5): the medians, spreads and rank tests are taken over them; fewer than 4 call nothing. */
  rounds(rounds: number): MatrixBuilder {
    return this.#with({ rounds: checkRounds(rounds) });
  }

  /** Paths of runtime executables, instead of the pinned ones in node_modules/.bin or those on PATH. */
  executables(paths: Partial<Record<RuntimeName, string>>): MatrixBuilder {
    return this.#with({ executables: { ...this.#settings.executables, ...paths } });
  }

  /**
   * The smallest lead worth a win, in percent: `.tolerance(5)` for every
   * metric (default 10), `.tolerance("message.wire.rtt_p99_ms", 15)` for one.
   * Naming a single-sample figure (a max) lets it be called at all.
   */
  tolerance(percent: number): MatrixBuilder;
  tolerance(metric: string, percent: number): MatrixBuilder;
  tolerance(first: number | string, second?: number): MatrixBuilder {
    const { defaultPercent, perMetric } = this.#settings.tolerances ?? DEFAULT_TOLERANCES;
    if (typeof first === "number" || second === undefined) {
      return this.#with({ tolerances: { defaultPercent: checkPercent("tolerance()", first), perMetric } });
    }
    const id = checkMetricId("tolerance()", first);
    if (!isMetricId(id) && !PROCESS_FIGURE_IDS.includes(id)) {
      throw inputError("tolerance()", `unknown metric "${id}"`, { names: [...Object.keys(METRICS), ...PROCESS_FIGURE_IDS], given: id });
    }
    return this.#with({ tolerances: { defaultPercent, perMetric: { ...perMetric, [id]: checkPercent(`tolerance("${id}")`, second) } } });
  }

  onProgress(listener: MatrixProgressListener): MatrixBuilder {
    return this.#with({ onProgress: listener });
  }

  /** Runs on another platform than this machine's child processes (used by tests). */
  platform(platform: MatrixPlatform): MatrixBuilder {
    return this.#with({ platform });
  }

  /** The validated matrix plan this builder would run. */
  plan(): MatrixPlan {
    return this.#matrix;
  }

  async run(options: { signal?: AbortSignal } = {}): Promise<MatrixReport> {
    const { executables, onProgress, tolerances } = this.#settings;
    const platform = this.#settings.platform ?? (await this.#settings.host?.matrixPlatform(executables ?? {}));
    if (!platform) {
      throw new TypeError(
        "this MatrixBuilder has no platform to run on: start from stress()…runtimes(), which runs on this machine, or pass .platform(…)",
      );
    }
    return createMatrixReport(await runMatrix(this.#matrix, { platform, signal: options.signal, onProgress, tolerances }));
  }
}
