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
import { createReport, type Report } from "../report/report.ts";
import { type Plan, PlanSchema, SUITE_NAMES, type SuiteName, type Threshold } from "../report/schema.ts";
import { isLevelName, type Level, type LevelName, LEVEL_NAMES, LEVELS, levelsUpTo, levelsUpToOperations, parseLevel, QUICK_MAX_OPERATIONS } from "./levels.ts";
import type { ProgressListener } from "./progress.ts";
import { runPlan } from "./runner.ts";
import type { Platform } from "./runtime.ts";
import { checkTarget } from "./target.ts";
import { validateThresholdOverrides } from "./thresholds.ts";

export type LevelInput = LevelName | Level;

type Config = {
  readonly levels: readonly Level[];
  readonly suites: readonly SuiteName[];
  readonly thresholds: Readonly<Record<string, Threshold>>;
  readonly window: number;
  readonly timeoutMs: number;
  readonly warmup: boolean;
  readonly target?: string;
  readonly onProgress?: ProgressListener;
  readonly platform?: Platform;
};

export const DEFAULTS: Config = Object.freeze({
  levels: LEVELS,
  suites: SUITE_NAMES,
  thresholds: {},
  window: 1,
  timeoutMs: 10_000,
  warmup: true,
});

function toLevel(input: LevelInput): Level {
  if (typeof input === "string") {
    if (!isLevelName(input)) throw new RangeError(`unknown level "${input}"; allowed: ${LEVEL_NAMES.join(", ")}, or a custom level object`);
    return LEVELS.find((l) => l.name === input)!;
  }
  return parseLevel(input);
}

function toSuite(name: string): SuiteName {
  if (!(SUITE_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown suite "${name}"; allowed: ${SUITE_NAMES.join(", ")}`);
  return name as SuiteName;
}

/** lowest load first, so degradation reads from the bottom level to the top one */
const byLoad = (a: Level, b: Level): number => a.operations - b.operations || a.connections - b.connections;

export class StressBuilder {
  readonly #config: Config;

  constructor(config: Config = DEFAULTS) {
    this.#config = config;
  }

  #with(change: Partial<Config>): StressBuilder {
    return new StressBuilder({ ...this.#config, ...change });
  }

  /** Runs these levels (seed names or custom level objects), replacing any earlier choice. */
  level(...levels: LevelInput[]): StressBuilder {
    if (levels.length === 0) throw new RangeError(`level() needs at least one level; allowed: ${LEVEL_NAMES.join(", ")}`);
    return this.#with({ levels: levels.map(toLevel) });
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

  /** Messages in flight per connection in the message and permission suites (closed loop). */
  window(messages: number): StressBuilder {
    return this.#with({ window: v.parse(PlanSchema.entries.window, messages) });
  }

  /** Upper bound on any single wait: a handshake, a reply, a drain. */
  timeout(ms: number): StressBuilder {
    return this.#with({ timeoutMs: v.parse(PlanSchema.entries.timeoutMs, ms) });
  }

  /**
   * Runs against a server of your own instead of the embedded one. Only
   * loopback addresses unless `allowRemote` is true.
   */
  target(url: string, options: { allowRemote?: boolean } = {}): StressBuilder {
    return this.#with({ target: checkTarget(url, options.allowRemote ?? false) });
  }

  /** Whether to run an untimed pass of every suite at a tiny level first (default true). */
  warmup(enabled: boolean): StressBuilder {
    return this.#with({ warmup: enabled });
  }

  onProgress(listener: ProgressListener): StressBuilder {
    return this.#with({ onProgress: listener });
  }

  /** Runs on another platform than the current runtime's (used by harnesses and tests). */
  platform(platform: Platform): StressBuilder {
    return this.#with({ platform });
  }

  /** The validated plan this builder would run. */
  plan(): Plan {
    const { levels, suites, thresholds, window, timeoutMs, warmup, target } = this.#config;
    return v.parse(PlanSchema, {
      levels: [...levels].sort(byLoad),
      suites: SUITE_NAMES.filter((s) => suites.includes(s)),
      thresholds,
      window,
      timeoutMs,
      warmup,
      ...(target ? { target } : {}),
    });
  }

  async run(options: { signal?: AbortSignal } = {}): Promise<Report> {
    const plan = this.plan();
    const platform = this.#config.platform ?? (await (await import("../adapters/platform.ts")).currentPlatform());
    return createReport(await runPlan(plan, { platform, signal: options.signal, onProgress: this.#config.onProgress }));
  }
}

/** A builder with the seed's defaults: all eight levels, all six suites. */
export function stress(): StressBuilder {
  return new StressBuilder();
}
