/**
 * Runs a plan: starts the server under test, runs every suite at every
 * level, judges each metric, and returns a result document validated by the
 * schema. A suite that throws keeps what it measured and the run goes on; an
 * abort stops at once and keeps every level and suite already finished.
 */
import type { Plan, Result, SuiteResult, LevelResult } from "../report/schema.ts";
import { parseResult, SCHEMA_VERSION } from "../report/schema.ts";
import { SUITES, SuiteRecorder, type SuiteContext } from "../suites/mod.ts";
import { VERSION } from "../version.ts";
import { analyze, levelVerdict, overallVerdict, suiteVerdict } from "./analysis.ts";
import type { Level } from "./levels.ts";
import type { ProgressListener } from "./progress.ts";
import type { Platform, ServerProcess } from "./runtime.ts";
import { askServerStats } from "./server-stats.ts";

/** Small enough to cost about a second, big enough to get every hot path of client and server compiled. */
const WARMUP_LEVEL: Level = { name: "warmup", operations: 400, connections: 8, messagesPerConnection: 50, subscribers: 8 };

export type RunOptions = {
  platform: Platform;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
};

/**
 * A server we did not start: we cannot know its runtime, and whether it takes
 * permessage-deflate is learnt from the handshake, so deflate is offered.
 */
function externalServer(url: string): ServerProcess {
  return { url, runtime: "external", perMessageDeflate: true, pid: 0, stop: async () => {} };
}

export async function runPlan(plan: Plan, options: RunOptions): Promise<Result> {
  const { platform } = options;
  const signal = options.signal ?? new AbortController().signal;
  const emit: ProgressListener = options.onProgress ?? (() => {});
  const startedAt = new Date();
  const server = plan.target ? externalServer(plan.target) : await platform.startServer({ perMessageDeflate: true, timeoutMs: plan.timeoutMs });
  const serverInfo = { url: server.url, runtime: server.runtime, embedded: !plan.target, perMessageDeflate: server.perMessageDeflate };
  const levels: LevelResult[] = [];
  try {
    emit({ type: "run-start", plan, server: serverInfo });
    if (plan.warmup) {
      emit({ type: "warmup", level: WARMUP_LEVEL });
      for (const name of plan.suites) if (!signal.aborted) await runSuite(plan, WARMUP_LEVEL, name, platform, server, signal);
    }
    for (const [index, level] of plan.levels.entries()) {
      if (signal.aborted) break;
      emit({ type: "level-start", level, index, total: plan.levels.length });
      const levelStart = new Date();
      const suites: SuiteResult[] = [];
      for (const name of plan.suites) {
        if (signal.aborted) break;
        emit({ type: "suite-start", level, suite: name });
        const result = await runSuite(plan, level, name, platform, server, signal);
        suites.push(result);
        emit({ type: "suite-end", level, result });
      }
      if (suites.length === 0) break;
      const levelResult: LevelResult = { level, startedAt: levelStart.toISOString(), durationMs: Date.now() - levelStart.getTime(), suites, verdict: "none" };
      levelResult.verdict = levelVerdict(levelResult);
      levels.push(levelResult);
      emit({ type: "level-end", result: levelResult });
    }
  } finally {
    await server.stop();
  }
  const finishedAt = new Date();
  const complete = levels.length === plan.levels.length && levels.every((l) => l.suites.length === plan.suites.length);
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
    levels,
    analysis: analyze(levels),
    verdict: overallVerdict(levels),
  });
  emit({ type: "run-end", result });
  return result;
}

async function runSuite(plan: Plan, level: Level, name: Plan["suites"][number], platform: Platform, server: ServerProcess, signal: AbortSignal): Promise<SuiteResult> {
  const record = new SuiteRecorder(name, plan.thresholds);
  const started = performance.now();
  let status: SuiteResult["status"] = "ok";
  const ctx: SuiteContext = {
    runtime: platform.runtime,
    url: server.url,
    serverDeflate: server.perMessageDeflate,
    level,
    plan,
    signal,
    record,
    serverStats: () => askServerStats(platform.runtime, server.url, plan.timeoutMs),
    countingProxy: (target) => platform.countingProxy(target),
  };
  // the engine layer needs no socket, so a wire failure does not cost its figures
  for (const layer of ["wire", "engine"] as const) {
    if (signal.aborted) break;
    try {
      await SUITES[name][layer](ctx);
    } catch (error) {
      status = "failed";
      record.errors.add(`${layer}_error`, error instanceof Error ? error.message : String(error));
    }
  }
  if (signal.aborted) status = "aborted";
  const result: SuiteResult = {
    suite: name,
    status,
    durationMs: performance.now() - started,
    metrics: record.metrics,
    histograms: record.histograms,
    errors: record.errors.list(),
    notes: record.notes,
    verdict: "none",
  };
  result.verdict = suiteVerdict(result);
  return result;
}
