/**
 * Runs a plan: starts the servers under test, runs every suite at every
 * level, and returns a result document validated by the schema. A suite that
 * throws keeps what it measured and the run goes on; an abort stops at once
 * and keeps every level and suite already finished.
 */
import type { LevelResult, Plan, Result, SuiteId, SuiteResult } from "../model/result.ts";
import { parseResult, SCHEMA_VERSION, suiteIdsOf } from "../model/result.ts";
import type { Scenario } from "../suites/scenario-definition.ts";
import { VERSION } from "../model/version.ts";
import { levelVerdict, overallVerdict } from "../analysis/verdicts.ts";
import { analyze } from "../report/analysis-section.ts";
import type { ProgressListener } from "../model/progress-events.ts";
import type { SuiteProgress } from "../model/suite-progress.ts";
import { type Profile, profileUrl } from "../profiles/profile.ts";
import { wsstressProfile } from "../profiles/wsstress.ts";
import { type ConnectionSettings, connectOptionsOf, withQuery } from "../profiles/connection-settings.ts";
import { probeHandshake } from "./handshake-probe.ts";
import { addEngineLayer, runSuite, type SuiteRun } from "./run-suite.ts";
import type { ServerProcess } from "../model/runtime-contract.ts";
import type { Platform } from "./platform.ts";
import { type Fleet, fleetOf, serversFor, startFleet } from "./server-fleet.ts";
import { CONNECTIONS_PER_PROCESS, isLead } from "../load/placement.ts";
import { planFingerprint } from "./plan-fingerprint.ts";
import { waitUntil } from "./start-at.ts";
import { runWarmup } from "./warmup.ts";
import { type Done, WorkerPool } from "./worker-pool.ts";
import type { Level } from "../model/levels.ts";
import { type Conformance, type Sampler, startConformance } from "./conformance-sampler.ts";

export type RunOptions = {
  platform: Platform;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** how the suites speak to the server: the reference protocol when absent; must be the one `plan.profile` names */
  profile?: Profile;
  /** headers, subprotocols, CA and tokens: they reach the sockets, never the result */
  connection?: ConnectionSettings;
  /** the code of the scenarios `plan.scenarios` names */
  scenarios?: readonly Scenario<unknown>[];
};

/** Worker processes load the profile again by module path; an object given in code has none. */
function checkProfile(plan: Plan, profile: Profile): void {
  if ((plan.profile?.name ?? "wsstress") !== profile.name) {
    throw new RangeError(`the plan names profile ${plan.profile?.name ?? "wsstress"} but the run was given ${profile.name}`);
  }
  if (profile.module !== undefined) return;
  const perProcess = plan.connectionsPerProcess ?? CONNECTIONS_PER_PROCESS;
  const big = plan.levels.find((l) => Math.max(4, l.connections) > perProcess);
  if (big) {
    throw new RangeError(
      `level ${big.name} needs worker processes (${big.connections} connections, ${perProcess} per process), which load the profile by module path: ` +
        `profile ${profile.name} was given as an object; pass its module path instead (.profile("./my-profile.ts"), --profile ./my-profile.ts)`,
    );
  }
}

/** The scenarios' code by name; each the plan runs must be given, and have a module when worker processes must load it. */
function scenariosOf(plan: Plan, given: readonly Scenario<unknown>[]): Map<string, Scenario<unknown>> {
  const byName = new Map(given.map((s) => [s.name, s]));
  const perProcess = plan.connectionsPerProcess ?? CONNECTIONS_PER_PROCESS;
  const big = plan.levels.find((l) => Math.max(4, l.connections) > perProcess);
  for (const ref of plan.scenarios ?? []) {
    if (!byName.has(ref.name)) throw new RangeError(`the plan runs scenario ${ref.name}, and the run was not given its code`);
    if (big && ref.module === undefined) {
      throw new RangeError(
        `level ${big.name} needs worker processes (${big.connections} connections, ${perProcess} per process), which load scenarios by module path: ` +
          `scenario ${ref.name} was given as an object; pass its module path instead (.scenario("./my-scenario.ts"), --scenario ./my-scenario.ts)`,
      );
    }
  }
  return byName;
}

/**
 * A server we did not start: we cannot know its runtime, and whether it takes
 * permessage-deflate is learnt from the handshake, so deflate is offered.
 */
function externalServer(url: string): ServerProcess {
  return { url, runtime: "external", perMessageDeflate: true, pid: 0, stop: async () => {} };
}

async function serversOf(plan: Plan, platform: Platform, connection: ConnectionSettings, profile: Profile): Promise<Fleet> {
  const perProcess = plan.connectionsPerProcess ?? CONNECTIONS_PER_PROCESS;
  // the URL connections open: the profile's (Socket.IO adds its path and Engine.IO query)
  const target = plan.target && profileUrl(profile, plan.target);
  if (target) return fleetOf([externalServer(target)], platform.runtime, plan.timeoutMs, perProcess, connectOptionsOf(connection, profile));
  const needed = Math.max(...plan.levels.map((l) => serversFor(l.connections, perProcess)));
  return startFleet(platform, needed, plan.timeoutMs, perProcess);
}

/**
 * Every suite's engine layer at `level`, timed in a worker process started for it; undefined when the user stopped
 * the run or no process could be started (each suite then times its own in this process).
 */
async function engineLayers(
  workers: WorkerPool,
  plan: Plan,
  level: Level,
  signal: AbortSignal,
): Promise<ReadonlyMap<string, Done> | undefined> {
  if (signal.aborted) return undefined;
  try {
    return await workers.runEngines(plan, level, plan.suites);
  } catch {
    return undefined;
  }
}

export async function runPlan(plan: Plan, options: RunOptions): Promise<Result> {
  const { platform } = options;
  const signal = options.signal ?? new AbortController().signal;
  const emit: ProgressListener = options.onProgress ?? (() => {});
  const profile = options.profile ?? wsstressProfile;
  const connection = options.connection ?? {};
  checkProfile(plan, profile);
  const scenarios = scenariosOf(plan, options.scenarios ?? []);
  const startedAt = new Date();
  const fleet = await serversOf(plan, platform, connection, profile);
  const workers = new WorkerPool(platform);
  const first = fleet.servers[0];
  const probeUrl = withQuery(first.url, connection.query);
  const handshake = await probeHandshake(platform.runtime, probeUrl, connectOptionsOf(connection, profile), plan.timeoutMs);
  // a target's deflate is what its handshake settled, once it is known: the compression suite reads it
  if (plan.target && handshake && handshake.perMessageDeflate !== "not offered") {
    first.perMessageDeflate = handshake.perMessageDeflate === "negotiated";
  }
  const serverInfo = {
    url: first.url,
    runtime: first.runtime,
    embedded: !plan.target,
    perMessageDeflate: first.perMessageDeflate,
    ...(handshake ? { handshake } : {}),
  };
  /** one suite at one level, with everything this run shares */
  const suiteRun = (level: Level, name: SuiteId, engine?: Done): SuiteRun => ({
    plan,
    level,
    name,
    platform,
    fleet,
    workers,
    signal,
    profile,
    connection,
    scenarios,
    ...(engine ? { engine } : {}),
  });
  const levels: LevelResult[] = [];
  let warmup: LevelResult | undefined;
  let conformance: Conformance | undefined;
  // a level's sampler, stopped before the servers go even when a suite throws
  let sampler: Sampler | undefined;
  // --on-error stop: the first failed suite ends the run; what finished is kept (status partial)
  let stopped = false;
  try {
    // everything a result document's header needs, so a stream of events (--jsonl) can be rebuilt into one
    emit({
      type: "run-start",
      plan,
      server: serverInfo,
      startedAt: startedAt.toISOString(),
      runtime: { name: platform.runtime.name, version: platform.runtime.version },
      machine: platform.machine(),
    });
    if (plan.conform) {
      const target = { url: first.url, headers: connection.headers, protocols: connection.protocols, ca: connection.ca };
      conformance = await startConformance({ runtime: platform.runtime, target, profile, patienceMs: plan.timeoutMs, signal });
    }
    if (plan.warmup) {
      warmup = await runWarmup(
        { plan, platform, fleet, workers, signal, profile, connection, scenarios },
        (level) => emit({ type: "warmup", level }),
      );
      emit({ type: "warmup-end", result: warmup });
    }
    if (plan.startAt && !signal.aborted) {
      const at = Date.parse(plan.startAt);
      emit({ type: "start-wait", startAt: plan.startAt, waitMs: Math.max(0, at - Date.now()) });
      await waitUntil(at, signal);
    }
    for (const [index, level] of plan.levels.entries()) {
      if (signal.aborted || stopped) break;
      emit({ type: "level-start", level, index, total: plan.levels.length });
      const levelStart = new Date();
      const suites: SuiteResult[] = [];
      let peakRssBytes = 0;
      let peakSockets = 0;
      // the engine layers first, in a fresh process: the same conditions at every level, so their degradation is the hub's
      const engines = plan.shard || !profile.reference ? undefined : await engineLayers(workers, plan, level, signal);
      sampler = conformance?.start();
      for (const name of suiteIdsOf(plan)) {
        if (signal.aborted || stopped) break;
        emit({ type: "suite-start", level, suite: name });
        const engine = engines?.get(name);
        // no listener, no counter read: a run nobody watches pays nothing for its progress
        const onProgress = options.onProgress &&
          ((progress: SuiteProgress) => emit({ type: "suite-progress", level, suite: name, progress }));
        const outcome = await runSuite({ ...suiteRun(level, name, engine), onProgress });
        suites.push(outcome.result);
        peakRssBytes = Math.max(peakRssBytes, outcome.peakRssBytes);
        peakSockets = Math.max(peakSockets, outcome.peakSockets);
        emit({ type: "suite-end", level, result: outcome.result });
        stopped = plan.onError === "stop" && outcome.result.status === "failed";
      }
      const sampled = await sampler?.stop();
      sampler = undefined;
      if (suites.length === 0) break;
      const levelResult: LevelResult = {
        level,
        startedAt: levelStart.toISOString(),
        durationMs: Date.now() - levelStart.getTime(),
        suites,
        verdict: "none",
        generatorBound: suites.some((s) => s.generator?.bound),
        resources: {
          peakRssBytes,
          peakSockets,
          serverProcesses: plan.target ? 0 : serversFor(level.connections, plan.connectionsPerProcess),
          workerProcesses: Math.max(0, ...suites.map((s) => (s.generator && s.generator.processes > 1 ? s.generator.processes : 0))),
        },
        ...(sampled ? { conformance: sampled } : {}),
      };
      levelResult.verdict = levelVerdict(levelResult);
      levels.push(levelResult);
      emit({ type: "level-end", result: levelResult });
    }
    // shard 0 times the engine layers last, so it never falls behind the other shards' wire layers
    if (plan.shard && isLead(plan) && profile.reference) {
      for (const level of levels) {
        const engines = await engineLayers(workers, plan, level.level, signal);
        for (const [i, suite] of level.suites.entries()) {
          if (signal.aborted) break;
          if (suite.status === "skipped") continue;
          const engine = engines?.get(suite.suite);
          level.suites[i] = await addEngineLayer(suiteRun(level.level, suite.suite, engine), suite);
        }
        level.verdict = levelVerdict(level);
      }
    }
  } finally {
    await sampler?.stop();
    await workers.stop();
    await fleet.stop();
  }
  const finishedAt = new Date();
  // complete: every planned suite ran to its end and measured what it exists for
  const complete = levels.length === plan.levels.length &&
    levels.every((l) => l.suites.length === suiteIdsOf(plan).length && l.suites.every((s) => s.status === "ok" || s.status === "skipped"));
  const result = parseResult({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "wsstress", version: VERSION },
    runtime: { name: platform.runtime.name, version: platform.runtime.version },
    machine: platform.machine(),
    server: serverInfo,
    plan,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    status: signal.aborted ? "aborted" : complete ? "complete" : "partial",
    ...(warmup ? { warmup } : {}),
    levels,
    analysis: analyze(levels, warmup, plan),
    verdict: overallVerdict(levels, warmup),
    ...(plan.shard ? { shard: { ...plan.shard, planFingerprint: planFingerprint(plan) } } : {}),
    ...(conformance ? { conformance: conformance.record } : {}),
  });
  emit({ type: "run-end", result });
  return result;
}
