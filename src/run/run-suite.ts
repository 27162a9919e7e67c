/**
 * Runs one suite at one level: its wire layer in this process, or split into
 * shares over worker processes when the level's connections do not fit in
 * one; then its engine layer here. The facts of every share merge exactly
 * into one result, and the generator's own load is reported beside it.
 */
import type { Generator, Plan, SuiteId, SuiteResult } from "../model/result.ts";
import { combineLoads, type GeneratorLoad, isGeneratorBound, sampleGeneratorLoad } from "../load/generator-load.ts";
import { type Facts, mergeFacts, wireLatenciesOf } from "../model/facts.ts";
import { figuresOf } from "./suite-figures.ts";
import { type Suite, SuiteRecorder, type SuiteContext } from "../suites/mod.ts";
import { suiteNamed } from "../suites/suite-table.ts";
import type { Scenario } from "../suites/scenario-definition.ts";
import type { Profile } from "../profiles/profile.ts";
import { suiteVerdict } from "../analysis/verdicts.ts";
import type { ConnectionSettings } from "../profiles/connection-settings.ts";
import type { Level } from "../model/levels.ts";
import type { Platform } from "./platform.ts";
import type { ServerStats } from "../protocol/messages.ts";
import type { Fleet } from "./server-fleet.ts";
import { CONNECTIONS_PER_PROCESS, isLead, type Share, sliceOf, splitShares } from "../load/placement.ts";
import { messageOf, settleStatus } from "./suite-status.ts";
import type { WorkerPool } from "./worker-pool.ts";

export type SuiteRun = {
  plan: Plan;
  level: Level;
  name: SuiteId;
  /** the scenarios the plan runs, by name: their code */
  scenarios: ReadonlyMap<string, Scenario<unknown>>;
  platform: Platform;
  fleet: Fleet;
  workers: WorkerPool;
  signal: AbortSignal;
  profile: Profile;
  connection: ConnectionSettings;
};

export type SuiteOutcome = {
  result: SuiteResult;
  /** the RSS high-water marks of the generator processes plus the servers' RSS after the suite */
  peakRssBytes: number;
  /** the sockets the servers counted at the peak (suites with a peak only) */
  peakSockets: number;
};

/** A suite the profile cannot express: no figures at all, and the reason, rather than zeros. */
/** What a suite running in this process sees of the run: `share` is its connections, `peak` what it calls once they are all open. */
function contextOf(run: SuiteRun, record: SuiteRecorder, share: Share, peak: () => Promise<void>): SuiteContext {
  const { platform, fleet } = run;
  return {
    runtime: platform.runtime,
    share,
    serverDeflate: fleet.servers[0]?.perMessageDeflate ?? true,
    level: run.level,
    plan: run.plan,
    profile: run.profile,
    connection: run.connection,
    signal: run.signal,
    record,
    peak,
    countingProxy: (target) => platform.countingProxy(target),
  };
}

function skipped(name: SuiteId, reason: string): SuiteOutcome {
  return { result: { suite: name, status: "skipped", reason, durationMs: 0, metrics: [], histograms: {}, errors: [], notes: [], verdict: "none" }, peakRssBytes: 0, peakSockets: 0 };
}

export async function runSuite(run: SuiteRun): Promise<SuiteOutcome> {
  const { plan, level, name, platform, fleet, signal, profile, connection } = run;
  const suite: Suite = suiteNamed(name, run.scenarios);
  const reason = suite.unsupported?.(profile, connection, plan.target);
  if (reason !== undefined) return skipped(name, reason);
  // only the reference protocol has `stats`: any other server would be waited on for nothing
  const serverStats = (): Promise<ServerStats | undefined> => (profile.serverStats ? fleet.stats(level) : Promise.resolve(undefined));
  const record = new SuiteRecorder();
  const started = performance.now();
  const urls = fleet.urlsFor(level);
  const perProcess = plan.connectionsPerProcess ?? CONNECTIONS_PER_PROCESS;
  // a shard of a sharded plan (--shard i/n) takes its slice of the level's connections
  const slice = sliceOf(suite.connectionsAt?.(level) ?? level.connections, plan.shard);
  const shares = suite.shardable
    ? splitShares(slice.count, urls, perProcess, slice.first)
    : [{ first: 0, count: level.connections, urls }];
  const wireHere = plan.shard === undefined || (suite.shardable ? slice.count > 0 : suite.slicesItself === true || isLead(plan));
  // other shards may load the same server at the same time: its counts would mix every shard's load
  const serverFigures = suite.atPeak !== undefined && plan.shard === undefined;
  const before = serverFigures ? await serverStats() : undefined;
  let peakSockets = 0;
  const atPeak = async (): Promise<void> => {
    if (!serverFigures || !suite.atPeak) return;
    const after = await serverStats();
    peakSockets = after?.connections ?? 0;
    suite.atPeak(record, { before, after });
  };
  const ctx = contextOf(run, record, shares[0], atPeak);

  const shareFacts: Facts[] = [];
  const loads: GeneratorLoad[] = [];
  // from the user's stop on, what did not happen is not the server's fault
  const unwatch = record.stopOn(signal);
  if (!wireHere) {
    record.note(`sharded run: the ${name} wire layer ${suite.shardable ? "had no connection left for this shard" : "runs on shard 0 alone"}`);
  } else if (shares.length === 1) {
    const stop = sampleGeneratorLoad(() => platform.cpuMicros(), () => platform.runtime.memory(), platform.cpuWaitMicros && (() => platform.cpuWaitMicros!()));
    try {
      await suite.wire(ctx);
    } catch (error) {
      record.fail(messageOf(error));
      record.errors.add("wire_error", messageOf(error));
    }
    loads.push(stop());
  } else {
    const done = await run.workers.runShares({ suite: name, level, plan, shares, serverDeflate: ctx.serverDeflate, connection }, atPeak, signal);
    for (const d of done) {
      shareFacts.push(d.facts);
      record.errors.addCounted(d.errors);
      for (const n of d.notes) if (!record.notes.includes(n)) record.notes.push(n);
      loads.push(d.load);
      if (d.failure !== undefined) record.fail(d.failure);
    }
  }
  unwatch();
  const stopped = record.stopNote();
  if (stopped && !record.notes.includes(stopped)) record.note(stopped);
  // a shard that left the wire layer to another had no generator load to report
  const generator = loads.length > 0 ? generatorOf(loads) : undefined;

  if (suite.atPeak && plan.shard) record.note(SHARD_SERVER_NOTE);
  if (!suite.engine) {
    // a user's scenario: its flow has no in-process hot path to time
  } else if (!profile.reference) {
    record.note(`engine layer not run: it times the reference hub in-process, which is not the ${profile.name} profile's server`);
  } else if (plan.shard && !isLead(plan)) record.note(SHARD_ENGINE_NOTE);
  else if (!plan.shard && !signal.aborted) {
    try {
      await suite.engine(ctx);
    } catch (error) {
      record.fail(`engine layer: ${messageOf(error)}`);
      record.errors.add("engine_error", messageOf(error));
    }
  }

  const facts = mergeFacts([record.toFacts(), ...shareFacts]);
  const figures = figuresOf(name, facts, plan);
  // servers rarely give memory back, so their RSS now is close to their high-water mark
  const serversRss = plan.target ? 0 : ((await serverStats())?.rssBytes ?? 0);
  const runnerRss = shares.length > 1 ? platform.runtime.memory().rssBytes : 0;
  const result: SuiteResult = {
    suite: name,
    ...settleStatus(signal.aborted, record.failure, figures, record.errors),
    durationMs: performance.now() - started,
    metrics: figures.metrics,
    histograms: figures.histograms,
    errors: record.errors.list(),
    notes: [...record.notes, ...figures.notes],
    verdict: "none",
    ...(generator ? { generator } : {}),
    // a shard keeps its raw facts, from which `wsstress merge` recomputes every figure
    ...(plan.shard ? { facts: facts.facts } : {}),
  };
  result.verdict = suiteVerdict(result);
  return { result, peakRssBytes: (generator?.maxRssBytes ?? 0) + runnerRss + serversRss, peakSockets };
}

const SHARD_SERVER_NOTE = "sharded run: the server-side figures (connections the server counts, its memory per connection) are not recorded, since the other shards may load the same server";
const SHARD_ENGINE_NOTE = "sharded run: the engine layer is timed on shard 0 alone (one in-process measurement)";

/**
 * Shard 0 of a sharded plan times a suite's engine layer after its last
 * level, and adds it to the suite's result: its facts join the wire layer's,
 * and the figures and verdict are recomputed from them.
 */
export async function addEngineLayer(run: SuiteRun, result: SuiteResult): Promise<SuiteResult> {
  const { plan, level, name, fleet } = run;
  const record = new SuiteRecorder();
  const ctx = contextOf(run, record, { first: 0, count: 0, urls: fleet.urlsFor(level) }, async () => {});
  const engine = suiteNamed(name, run.scenarios).engine;
  if (!engine) return result;
  try {
    await engine(ctx);
  } catch (error) {
    record.fail(`engine layer: ${messageOf(error)}`);
    record.errors.add("engine_error", messageOf(error));
  }
  const facts = mergeFacts([{ facts: result.facts ?? [], latencies: wireLatenciesOf(result.histograms) }, record.toFacts()]);
  const figures = figuresOf(name, facts, plan);
  const errors = record.errors;
  errors.addCounted(result.errors);
  const updated: SuiteResult = {
    ...result,
    ...(result.status === "ok" ? settleStatus(false, record.failure, figures, errors) : {}),
    metrics: figures.metrics,
    histograms: figures.histograms,
    errors: errors.list(),
    notes: [...new Set([...result.notes, ...record.notes, ...figures.notes])],
    facts: facts.facts,
  };
  updated.verdict = suiteVerdict(updated);
  return updated;
}

function generatorOf(loads: GeneratorLoad[]): Generator {
  const combined = combineLoads(loads);
  return { processes: loads.length, ...combined, bound: loads.some(isGeneratorBound) };
}
