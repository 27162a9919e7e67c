/**
 * The untimed warm-up: every suite once at a tiny level before the first
 * one, so no level is measured on cold JIT code. It stays out of every rate
 * and percentile, but what went wrong in it is kept and judged like a level's:
 * its suites keep their status, their errors and their fault counts (lost,
 * duplicated, wrong allows…), nothing else.
 */
import { type LevelResult, type Plan, suiteIdsOf, type SuiteResult } from "../model/result.ts";
import { FIGURE_NOTE } from "./suite-figures.ts";
import type { Level } from "../model/levels.ts";
import { runSuite, type SuiteRun } from "./run-suite.ts";
import { fleetOf } from "./server-fleet.ts";
import { connectOptionsOf } from "../profiles/connection-settings.ts";
import { metricId, type Scenarios, specOf } from "../suites/metric-catalogue.ts";
import { levelVerdict, suiteVerdict } from "../analysis/verdicts.ts";

/** Small enough to cost about a second, big enough to get every hot path of client and server compiled. */
export const WARMUP_LEVEL: Level = { name: "warmup", operations: 400, connections: 8, messagesPerConnection: 50, subscribers: 8 };

type WarmupRun = Omit<SuiteRun, "level" | "name">;

/** Runs the warm-up; resolves what it found, as a level named `warmup`. */
export async function runWarmup(run: WarmupRun, onStart: (level: Level) => void): Promise<LevelResult> {
  const { plan, platform, fleet, connection, signal, profile } = run;
  // as many shares as the busiest level will use, so every worker and server process gets warm
  const processes = fleet.servers.length;
  const level = { ...WARMUP_LEVEL, connections: WARMUP_LEVEL.connections * processes };
  const warmPlan = { ...plan, connectionsPerProcess: WARMUP_LEVEL.connections, ...warmScenarios(plan) };
  const perProcess = WARMUP_LEVEL.connections;
  const warmFleet = fleetOf(fleet.servers, platform.runtime, plan.timeoutMs, perProcess, connectOptionsOf(connection, profile));
  onStart(level);
  const started = new Date();
  const suites: SuiteResult[] = [];
  for (const name of suiteIdsOf(plan)) {
    if (signal.aborted) break;
    suites.push(faultsOnly((await runSuite({ ...run, plan: warmPlan, fleet: warmFleet, level, name })).result, plan));
  }
  const result: LevelResult = {
    level,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    suites,
    verdict: "none",
  };
  result.verdict = levelVerdict(result);
  return result;
}

/** A scenario warms up closed, for a couple of iterations per virtual user: its think times would make a full pass long. */
function warmScenarios(plan: Plan): Pick<Plan, "scenarios"> {
  if (!plan.scenarios) return {};
  return {
    scenarios: plan.scenarios.map(({ durationMs: _, ...s }) => ({
      ...s,
      load: { executor: "closed" as const },
      iterations: WARMUP_ITERATIONS,
    })),
  };
}
const WARMUP_ITERATIONS = 2;

const isFault = (suite: SuiteResult["suite"], layer: string, key: string, plan: Scenarios): boolean =>
  specOf(metricId(suite, layer as "wire", key), plan)?.fault === true;

/** A warm-up suite as the result keeps it: status, errors and fault counts, no rate, percentile or histogram. */
export function faultsOnly(suite: SuiteResult, plan: Scenarios): SuiteResult {
  const { generator: _, facts, ...rest } = suite;
  const kept: SuiteResult = {
    ...rest,
    metrics: suite.metrics.filter((m) => isFault(suite.suite, m.layer, m.key, plan)),
    histograms: {},
    notes: suite.notes.filter((n) => !FIGURE_NOTE.test(n)),
    // a shard's warm-up keeps the facts of its fault counts, so a merge adds them up
    ...(facts ? { facts: facts.filter((f) => f.kind === "count" && isFault(suite.suite, f.layer, f.key, plan)) } : {}),
  };
  kept.verdict = suiteVerdict(kept);
  return kept;
}
