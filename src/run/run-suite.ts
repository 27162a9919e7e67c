/**
 * Runs one suite at one level: its wire layer in this process, or split into
 * shares over worker processes when the level's connections do not fit in
 * one; then its engine layer here. The facts of every share merge exactly
 * into one result, and the generator's own load is reported beside it.
 * With `onProgress`, what the wire layer has done so far is reported a few
 * times a second, every share's merged, and once more when it ends.
 */
import type { Plan, SuiteId, SuiteResult } from "../model/result.ts";
import { judgeGenerator, loadOf } from "./generator-verdict.ts";
import { combineLoads, type GeneratorLoad, type LoadSampler, sampleGeneratorLoad } from "../load/generator-load.ts";
import { emptyFacts, type Facts, mergeFacts, wireLatenciesOf } from "../model/facts.ts";
import { figuresOf } from "./suite-figures.ts";
import { type Suite, type SuiteContext, SuiteRecorder } from "../suites/mod.ts";
import { suiteNamed } from "../suites/suite-table.ts";
import type { Scenario } from "../suites/scenario-definition.ts";
import type { Profile } from "../profiles/profile.ts";
import { wsstressProfile } from "../profiles/wsstress.ts";
import { suiteVerdict } from "../analysis/verdicts.ts";
import type { ConnectionSettings } from "../profiles/connection-settings.ts";
import type { Level } from "../model/levels.ts";
import type { Platform } from "./platform.ts";
import type { ServerStats } from "../protocol/messages.ts";
import type { Fleet } from "./server-fleet.ts";
import { CONNECTIONS_PER_PROCESS, isLead, type Share, sliceOf, splitShares } from "../load/placement.ts";
import { messageOf, settleStatus } from "./suite-status.ts";
import type { Done, WorkerPool } from "./worker-pool.ts";
import type { SuiteProgress } from "../model/suite-progress.ts";
import { ProgressMerge } from "./progress-merge.ts";
import { everyInterval } from "./progress-timer.ts";
import { guarded, watchHere } from "./local-progress.ts";

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
  /** the suite's engine layer, timed in a process of its own (`WorkerPool.runEngines`); timed here when absent */
  engine?: Done;
  /** what the wire layer has done so far; no counter is read when absent */
  onProgress?: (progress: SuiteProgress) => void;
};

export type SuiteOutcome = {
  result: SuiteResult;
  /** the RSS high-water marks of the generator processes plus the servers' RSS after the suite */
  peakRssBytes: number;
  /** the sockets the servers counted at the peak (suites with a peak only) */
  peakSockets: number;
};

/** This process's load sampler, on the platform's clocks. */
export const samplerOf = (platform: Platform): LoadSampler => () =>
  sampleGeneratorLoad(
    () => platform.cpuMicros(),
    () => platform.runtime.memory(),
    platform.cpuWaitMicros && (() => platform.cpuWaitMicros!()),
  );

/** The capacity barrier of a suite that runs in this process alone: the level's capacity is its own. */
const ownCapacity = (ops: number, startMs: number, endMs: number): Promise<number> =>
  Promise.resolve(endMs > startMs ? (ops * 1_000) / (endMs - startMs) : 0);

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
    capacity: ownCapacity,
    sampleLoad: samplerOf(platform),
    countingProxy: (target) => platform.countingProxy(target),
  };
}

/** What an engine layer sees: the level, the plan and a recorder; it opens no connection. */
export function engineContext(platform: Platform, plan: Plan, level: Level, record: SuiteRecorder): SuiteContext {
  return {
    runtime: platform.runtime,
    share: { first: 0, count: 0, urls: [] },
    serverDeflate: false,
    level,
    plan,
    profile: wsstressProfile,
    connection: {},
    signal: new AbortController().signal,
    record,
    peak: async () => {},
    capacity: ownCapacity,
    sampleLoad: samplerOf(platform),
    countingProxy: () => Promise.reject(new Error("an engine layer opens no connection")),
  };
}

/** A suite the profile cannot express: no figures at all, and the reason, rather than zeros. */
function skipped(name: SuiteId, reason: string): SuiteOutcome {
  return {
    result: { suite: name, status: "skipped", reason, durationMs: 0, metrics: [], histograms: {}, errors: [], notes: [], verdict: "none" },
    peakRssBytes: 0,
    peakSockets: 0,
  };
}

export async function runSuite(run: SuiteRun): Promise<SuiteOutcome> {
  const { plan, level, name, platform, fleet, signal, profile, connection } = run;
  const suite: Suite = suiteNamed(name, run.scenarios);
  const reason = suite.unsupported?.(profile, connection, plan.target);
  if (reason !== undefined) return skipped(name, reason);
  // only the reference protocol has `stats`: any other server would be waited on for nothing; `gc` for memory readings
  const serverStats = (
    gc = false,
  ): Promise<ServerStats | undefined> => (profile.serverStats ? fleet.stats(level, gc) : Promise.resolve(undefined));
  const record = new SuiteRecorder(suite.answered);
  const started = performance.now();
  const urls = fleet.urlsFor(level);
  const perProcess = plan.connectionsPerProcess ?? CONNECTIONS_PER_PROCESS;
  // a shard of a sharded plan (--shard i/n) takes its slice of the level's connections
  const slice = sliceOf(suite.connectionsAt?.(level) ?? level.connections, plan.shard);
  const shares = suite.shardable ? splitShares(slice.count, urls, perProcess, slice.first) : [{ first: 0, count: level.connections, urls }];
  const wireHere = plan.shard === undefined || (suite.shardable ? slice.count > 0 : suite.slicesItself === true || isLead(plan));
  // other shards may load the same server at the same time: its counts would mix every shard's load
  const serverFigures = suite.atPeak !== undefined && plan.shard === undefined;
  const before = serverFigures ? await serverStats(true) : undefined;
  let peakSockets = 0;
  const atPeak = async (): Promise<void> => {
    if (!serverFigures || !suite.atPeak) return;
    const after = await serverStats(true);
    peakSockets = after?.connections ?? 0;
    suite.atPeak(record, { before, after });
  };
  const ctx = contextOf(run, record, shares[0], atPeak);

  const listener = run.onProgress && guarded(run.onProgress);
  const shareFacts: Facts[] = [];
  const loads: GeneratorLoad[] = [];
  // from the user's stop on, what did not happen is not the server's fault
  const unwatch = record.stopOn(signal);
  if (!wireHere) {
    record.note(
      `sharded run: the ${name} wire layer ${suite.shardable ? "had no connection left for this shard" : "runs on shard 0 alone"}`,
    );
  } else if (shares.length === 1) {
    const stop = ctx.sampleLoad();
    const progress = listener && watchHere(record, started, () => platform.cpuMicros(), listener.call);
    try {
      await suite.wire(ctx);
    } catch (error) {
      record.fail(messageOf(error));
      record.errors.add("wire_error", messageOf(error));
    }
    progress?.();
    loads.push({ ...stop(), phases: record.phases });
  } else {
    const merge = listener && new ProgressMerge(suite.answered, shares.length, started);
    const report = (final: boolean): void => {
      const event = merge?.event(final);
      if (event) listener!.call(event);
    };
    const stopTicks = merge ? everyInterval(() => platform.cpuMicros(), () => report(false)) : () => {};
    const task = { suite: name, level, plan, shares, serverDeflate: ctx.serverDeflate, connection };
    const done = await run.workers.runShares(task, atPeak, signal, merge && ((i, reading) => merge.update(i, reading))).finally(stopTicks);
    report(true);
    for (const d of done) {
      shareFacts.push(d.facts);
      record.errors.addCounted(d.errors);
      for (const n of d.notes) if (!record.notes.includes(n)) record.notes.push(n);
      loads.push(d.load);
      if (d.failure !== undefined) record.fail(d.failure);
    }
  }
  unwatch();
  // the listener threw from a timer, where nobody could catch it: the run fails as it would for any other event
  if (listener?.error) throw listener.error.thrown;
  const stopped = record.stopNote();
  if (stopped && !record.notes.includes(stopped)) record.note(stopped);

  if (suite.atPeak && plan.shard) record.note(SHARD_SERVER_NOTE);
  if (!suite.engine) {
    // a user's scenario: its flow has no in-process hot path to time
  } else if (!profile.reference) {
    record.note(`engine layer not run: it times the reference hub in-process, which is not the ${profile.name} profile's server`);
  } else if (plan.shard && !isLead(plan)) record.note(SHARD_ENGINE_NOTE);
  else if (!plan.shard && !signal.aborted && run.engine) {
    shareFacts.push(run.engine.facts);
    record.errors.addCounted(run.engine.errors);
    if (run.engine.failure !== undefined) record.fail(run.engine.failure);
  } else if (!plan.shard && !signal.aborted) await timeEngineHere(suite.engine, ctx, record);
  const facts = mergeFacts([record.toFacts(), ...shareFacts]);
  const figures = figuresOf(name, facts, plan);
  // a shard that left the wire layer to another had no generator load to report
  const generator = loads.length > 0 ? judgeGenerator(name, combineLoads(loads), loads.length, figures.metrics) : undefined;
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

async function timeEngineHere(engine: NonNullable<Suite["engine"]>, ctx: SuiteContext, record: SuiteRecorder): Promise<void> {
  try {
    await engine(ctx);
  } catch (error) {
    record.fail(`engine layer: ${messageOf(error)}`);
    record.errors.add("engine_error", messageOf(error));
  }
}

const SHARD_SERVER_NOTE =
  "sharded run: the server-side figures (connections the server counts, its memory per connection) are not recorded, since the other shards may load the same server";
const SHARD_ENGINE_NOTE = "sharded run: the engine layer is timed on shard 0 alone (one in-process measurement)";

/**
 * Shard 0 of a sharded plan times a suite's engine layer after its last
 * level, and adds it to the suite's result: its facts join the wire layer's,
 * and the figures and verdict are recomputed from them.
 */
export async function addEngineLayer(run: SuiteRun, result: SuiteResult): Promise<SuiteResult> {
  const { plan, level, name, fleet } = run;
  const record = new SuiteRecorder();
  const engine = suiteNamed(name, run.scenarios).engine;
  if (!engine) return result;
  const engineFacts = run.engine?.facts ?? emptyFacts();
  if (run.engine) {
    record.errors.addCounted(run.engine.errors);
    if (run.engine.failure !== undefined) record.fail(run.engine.failure);
  } else await timeEngineHere(engine, contextOf(run, record, { first: 0, count: 0, urls: fleet.urlsFor(level) }, async () => {}), record);
  const facts = mergeFacts([{ facts: result.facts ?? [], latencies: wireLatenciesOf(result.histograms) }, record.toFacts(), engineFacts]);
  const figures = figuresOf(name, facts, plan);
  const generator = result.generator && judgeGenerator(name, loadOf(result.generator), result.generator.processes, figures.metrics);
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
    ...(generator ? { generator } : {}),
  };
  updated.verdict = suiteVerdict(updated);
  return updated;
}
