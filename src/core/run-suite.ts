/**
 * Runs one suite at one level: its wire layer in this process, or split into
 * shares over worker processes when the level's connections do not fit in
 * one; then its engine layer here. The facts of every share merge exactly
 * into one result, and the generator's own load is reported beside it.
 */
import type { Generator, Plan, SuiteName, SuiteResult } from "../report/schema.ts";
import { combineLoads, type GeneratorLoad, isGeneratorBound, sampleGeneratorLoad } from "../load/generator-load.ts";
import { type Facts, mergeFacts } from "../suites/facts.ts";
import { figuresOf } from "../suites/metrics.ts";
import { SUITES, SuiteRecorder, type SuiteContext } from "../suites/mod.ts";
import type { Share } from "../suites/suite.ts";
import { suiteVerdict } from "./analysis.ts";
import type { Level } from "./levels.ts";
import type { Platform } from "./runtime.ts";
import { CONNECTIONS_PER_PROCESS, type Fleet } from "./servers.ts";
import type { WorkerPool } from "./worker-pool.ts";

export type SuiteRun = {
  plan: Plan;
  level: Level;
  name: SuiteName;
  platform: Platform;
  fleet: Fleet;
  workers: WorkerPool;
  signal: AbortSignal;
};

export type SuiteOutcome = {
  result: SuiteResult;
  /** the RSS high-water marks of the generator processes plus the servers' RSS after the suite */
  peakRssBytes: number;
  /** the sockets the servers counted at the peak (suites with a peak only) */
  peakSockets: number;
};

/** Splits `total` connections into even shares of at most `perShare`, keeping global indices. */
export function splitShares(total: number, urls: string[], perShare: number): Share[] {
  const count = Math.max(1, Math.ceil(total / perShare));
  const base = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => {
    const first = i * base + Math.min(i, total % count);
    return { first, count: base + (i < total % count ? 1 : 0), urls };
  });
}

export async function runSuite(run: SuiteRun): Promise<SuiteOutcome> {
  const { plan, level, name, platform, fleet, signal } = run;
  const suite = SUITES[name];
  const record = new SuiteRecorder();
  const started = performance.now();
  const urls = fleet.urlsFor(level);
  const perProcess = plan.connectionsPerProcess ?? CONNECTIONS_PER_PROCESS;
  const shares = suite.shardable
    ? splitShares(suite.connectionsAt?.(level) ?? level.connections, urls, perProcess)
    : [{ first: 0, count: level.connections, urls }];
  const before = suite.atPeak ? await fleet.stats(level) : undefined;
  let peakSockets = 0;
  const atPeak = async (): Promise<void> => {
    if (!suite.atPeak) return;
    const after = await fleet.stats(level);
    peakSockets = after?.connections ?? 0;
    suite.atPeak(record, { before, after });
  };
  const ctx: SuiteContext = {
    runtime: platform.runtime,
    share: shares[0],
    serverDeflate: fleet.servers[0]?.perMessageDeflate ?? true,
    level,
    plan,
    signal,
    record,
    peak: atPeak,
    countingProxy: (target) => platform.countingProxy(target),
  };

  let failed = false;
  const shareFacts: Facts[] = [];
  const loads: GeneratorLoad[] = [];
  if (shares.length === 1) {
    const stop = sampleGeneratorLoad(() => platform.cpuMicros(), () => platform.runtime.memory(), platform.cpuWaitMicros && (() => platform.cpuWaitMicros!()));
    try {
      await suite.wire(ctx);
    } catch (error) {
      failed = true;
      record.errors.add("wire_error", error instanceof Error ? error.message : String(error));
    }
    loads.push(stop());
  } else {
    const done = await run.workers.runShares({ suite: name, level, plan, shares, serverDeflate: ctx.serverDeflate }, atPeak, signal);
    for (const d of done) {
      shareFacts.push(d.facts);
      for (const e of d.errors) record.errors.add(e.class, e.message, e.count);
      for (const n of d.notes) if (!record.notes.includes(n)) record.notes.push(n);
      loads.push(d.load);
      failed ||= d.failure !== undefined;
    }
  }
  const generator = generatorOf(loads);

  if (!signal.aborted) {
    try {
      await suite.engine(ctx);
    } catch (error) {
      failed = true;
      record.errors.add("engine_error", error instanceof Error ? error.message : String(error));
    }
  }

  const figures = figuresOf(name, mergeFacts([record.toFacts(), ...shareFacts]), plan.thresholds);
  // servers rarely give memory back, so their RSS now is close to their high-water mark
  const serversRss = plan.target ? 0 : ((await fleet.stats(level))?.rssBytes ?? 0);
  const runnerRss = shares.length > 1 ? platform.runtime.memory().rssBytes : 0;
  const result: SuiteResult = {
    suite: name,
    status: signal.aborted ? "aborted" : failed ? "failed" : "ok",
    durationMs: performance.now() - started,
    metrics: figures.metrics,
    histograms: figures.histograms,
    errors: record.errors.list(),
    notes: [...record.notes, ...figures.notes],
    verdict: "none",
    generator,
  };
  result.verdict = suiteVerdict(result);
  return { result, peakRssBytes: generator.maxRssBytes + runnerRss + serversRss, peakSockets };
}

function generatorOf(loads: GeneratorLoad[]): Generator {
  const combined = combineLoads(loads);
  return { processes: loads.length, ...combined, bound: loads.some(isGeneratorBound) };
}
