/**
 * @module
 * Merges the results of the shards of one plan (`--shard i/n` on several
 * machines) into one result, as if one generator had run the whole plan:
 * every count is the exact sum, rates are all operations over the union of
 * the shards' spans, percentiles come from the merged histograms (never an
 * average of percentiles), and verdicts, degradation, bottleneck and
 * recommendations are recomputed. Missing, duplicated or mixed shards, and
 * shards of different plans, are refused with a `MergeError` naming the files.
 *
 * @example
 * ```ts
 * import { mergeShards } from "./merge-shards.ts";
 * declare const shards: { name: string; result: import("../model/result.ts").Result }[];
 * const merged = mergeShards(shards); // merged.merged = { shards: 3, planFingerprint: "…" }
 * ```
 */
import { ErrorTally } from "../load/error-tally.ts";
import type { Generator, LevelResult, Plan, Result, SuiteResult } from "../model/result.ts";
import { parseResult, suiteIdsOf } from "../model/result.ts";
import { type Facts, mergeFacts, wireLatenciesOf } from "../model/facts.ts";
import { FIGURE_NOTE, figuresOf } from "./suite-figures.ts";
import { levelVerdict, overallVerdict, suiteVerdict } from "../analysis/verdicts.ts";
import { analyze } from "../report/analysis-section.ts";
import { planDifferences, planFingerprint, unsharded } from "./plan-fingerprint.ts";
import { settleStatus } from "./suite-status.ts";
import { faultsOnly } from "./warmup.ts";

/** A shard result and the name to call it by in errors (its file). */
export type ShardInput = { name: string; result: Result };

/** Shards that cannot be merged: what is wrong, naming the files. */
export class MergeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

type Checked = { name: string; result: Result; shard: NonNullable<Result["shard"]> };

/** Refuses anything that would not add up to the one plan: returns the shards in index order. */
function check(inputs: readonly ShardInput[]): Checked[] {
  if (inputs.length === 0) throw new MergeError("merge needs the result files of every shard of one plan");
  const shards = inputs.map(({ name, result }) => {
    if (!result.shard) throw new MergeError(`${name} is not a shard result: run each shard with --shard i/n (or .shard(i, n))`);
    if (planFingerprint(result.plan) !== result.shard.planFingerprint) {
      throw new MergeError(`${name}: its plan does not match its fingerprint ${result.shard.planFingerprint}: the file was edited`);
    }
    return { name, result, shard: result.shard };
  });
  const label = (s: Checked): string => `${s.name} (shard ${s.shard.index}/${s.shard.count})`;
  const [first] = shards;
  const count = first.shard.count;
  const mixed = shards.find((s) => s.shard.count !== count);
  if (mixed) {
    throw new MergeError(`shards of different counts: ${label(first)} and ${label(mixed)}; every shard of one plan has the same n`);
  }
  for (const s of shards.slice(1)) {
    if (s.shard.planFingerprint !== first.shard.planFingerprint) {
      const diff = planDifferences(first.result.plan, s.result.plan);
      throw new MergeError(
        `${s.name} ran a different plan from ${first.name} (${diff.join("; ") || "fingerprints differ"}); merge only shards of one plan`,
      );
    }
  }
  const byIndex = new Map<number, Checked[]>();
  for (const s of shards) byIndex.set(s.shard.index, [...(byIndex.get(s.shard.index) ?? []), s]);
  for (const [index, same] of byIndex) {
    if (same.length > 1) throw new MergeError(`shard ${index}/${count} given more than once: ${same.map((s) => s.name).join(", ")}`);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new MergeError(
      `missing shard ${missing.map((i) => `${i}/${count}`).join(", ")}: got ${shards.map(label).join(", ")}; a merge needs all ${count}`,
    );
  }
  return shards.sort((a, b) => a.shard.index - b.shard.index);
}

function factsOf(name: string, level: string, suite: SuiteResult): Facts {
  if (!suite.facts) throw new MergeError(`${name}: ${level}/${suite.suite} keeps no facts to merge (written by an older wsstress?)`);
  return { facts: suite.facts, latencies: wireLatenciesOf(suite.histograms) };
}

function mergeGenerators(parts: readonly Generator[]): Generator | undefined {
  if (parts.length === 0) return undefined;
  return {
    processes: parts.reduce((n, g) => n + g.processes, 0),
    cpuPct: Math.max(...parts.map((g) => g.cpuPct)),
    lagP99Ms: Math.max(...parts.map((g) => g.lagP99Ms)),
    lagMaxMs: Math.max(...parts.map((g) => g.lagMaxMs)),
    maxRssBytes: parts.reduce((n, g) => n + g.maxRssBytes, 0),
    bound: parts.some((g) => g.bound),
  };
}

const STATUS_RANK = { skipped: 0, ok: 1, failed: 2, aborted: 3 } as const;

function mergeSuite(plan: Plan, level: string, parts: ReadonlyArray<{ name: string; suite: SuiteResult }>): SuiteResult {
  const name = parts[0].suite.suite;
  // every shard runs the same plan with the same profile, so a suite it cannot express is skipped by all alike
  if (parts.every((p) => p.suite.status === "skipped")) return parts[0].suite;
  let facts: Facts;
  try {
    facts = mergeFacts(parts.map((p) => factsOf(p.name, level, p.suite)));
  } catch (error) {
    if (error instanceof MergeError) throw error;
    throw new MergeError(`${level}/${name}: ${(error as Error).message}`);
  }
  const figures = figuresOf(name, facts, plan);
  const errors = new ErrorTally();
  for (const p of parts) errors.addCounted(p.suite.errors);
  const notes = [...new Set(parts.flatMap((p) => p.suite.notes).filter((n) => !FIGURE_NOTE.test(n)))];
  const generator = mergeGenerators(parts.flatMap((p) => (p.suite.generator ? [p.suite.generator] : [])));
  const status = parts.map((p) => p.suite.status).reduce((a, b) => (STATUS_RANK[b] > STATUS_RANK[a] ? b : a));
  const failed = parts.find((p) => p.suite.status === "failed");
  const result: SuiteResult = {
    suite: name,
    ...settleStatus(status === "aborted", failed && `${failed.name}: ${failed.suite.reason ?? "failed"}`, figures, errors),
    durationMs: Math.max(...parts.map((p) => p.suite.durationMs)),
    metrics: figures.metrics,
    histograms: figures.histograms,
    errors: errors.list(),
    notes: [...notes, ...figures.notes],
    verdict: "none",
    ...(generator ? { generator } : {}),
  };
  result.verdict = suiteVerdict(result);
  return result;
}

/** One level (or the warm-up) of every shard, merged; undefined when a shard lacks it. */
function mergeLevel(plan: Plan, given: ReadonlyArray<{ name: string; level: LevelResult | undefined }>): LevelResult | undefined {
  if (given.some((p) => p.level === undefined)) return undefined;
  const parts = given as ReadonlyArray<{ name: string; level: LevelResult }>;
  const level = parts[0].level.level;
  const suites: SuiteResult[] = [];
  for (const name of suiteIdsOf(plan)) {
    const found = parts.map((p) => ({ name: p.name, suite: p.level.suites.find((s) => s.suite === name) }));
    if (found.some((f) => f.suite === undefined)) continue;
    suites.push(mergeSuite(plan, level.name, found as Array<{ name: string; suite: SuiteResult }>));
  }
  if (suites.length === 0) return undefined;
  const starts = parts.map((p) => Date.parse(p.level.startedAt));
  const start = Math.min(...starts);
  const end = Math.max(...parts.map((p, i) => starts[i] + p.level.durationMs));
  const resources = parts.flatMap((p) => (p.level.resources ? [p.level.resources] : []));
  const merged: LevelResult = {
    level,
    startedAt: new Date(start).toISOString(),
    durationMs: end - start,
    suites,
    verdict: "none",
    generatorBound: suites.some((s) => s.generator?.bound),
    ...(resources.length > 0
      ? {
        resources: {
          peakRssBytes: resources.reduce((n, r) => n + r.peakRssBytes, 0),
          peakSockets: Math.max(...resources.map((r) => r.peakSockets)),
          serverProcesses: Math.max(...resources.map((r) => r.serverProcesses)),
          // every shard generated load in at least its own process
          workerProcesses: resources.reduce((n, r) => n + Math.max(r.workerProcesses, 1), 0),
        },
      }
      : {}),
  };
  merged.verdict = levelVerdict(merged);
  return merged;
}

/** The shards' warm-ups as one: their fault counts add up, and still nothing else is kept. */
function mergeWarmup(plan: Plan, shards: readonly Checked[]): LevelResult | undefined {
  const merged = mergeLevel(plan, shards.map((s) => ({ name: s.name, level: s.result.warmup })));
  if (!merged) return undefined;
  const warmup = { ...merged, suites: merged.suites.map((s) => faultsOnly(s, plan)) };
  return { ...warmup, verdict: levelVerdict(warmup) };
}

/** One value when every shard agrees, else every distinct one joined. */
const agreed = (values: readonly string[]): string => [...new Set(values)].join(" + ");

function machineOf(shards: readonly Checked[]): Result["machine"] {
  const machines = shards.map((s) => s.result.machine);
  if (machines.every((m) => JSON.stringify(m) === JSON.stringify(machines[0]))) return machines[0];
  // several generator machines: the fleet as a whole
  return {
    os: agreed(machines.map((m) => m.os)),
    arch: agreed(machines.map((m) => m.arch)),
    cpuModel: agreed(machines.map((m) => m.cpuModel)),
    cores: machines.reduce((n, m) => n + m.cores, 0),
    memoryBytes: machines.reduce((n, m) => n + m.memoryBytes, 0),
  };
}

/**
 * Merges every shard of one plan. Levels and suites that every shard
 * finished are kept; anything a shard did not finish makes the merge partial
 * (aborted when a shard was aborted).
 */
export function mergeShards(inputs: readonly ShardInput[]): Result {
  const shards = check(inputs);
  const first = shards[0].result;
  const plan: Plan = { ...unsharded(first.plan), ...(first.plan.startAt ? { startAt: first.plan.startAt } : {}) };
  const levels: LevelResult[] = [];
  for (let i = 0; i < plan.levels.length; i++) {
    const level = mergeLevel(plan, shards.map((s) => ({ name: s.name, level: s.result.levels[i] })));
    if (!level) break;
    levels.push(level);
  }
  const warmup = mergeWarmup(plan, shards);
  const complete = shards.every((s) => s.result.status === "complete") && levels.length === plan.levels.length &&
    levels.every((l) => l.suites.length === suiteIdsOf(plan).length && l.suites.every((s) => s.status === "ok" || s.status === "skipped"));
  const startedAt = Math.min(...shards.map((s) => Date.parse(s.result.startedAt)));
  const finishedAt = Math.max(...shards.map((s) => Date.parse(s.result.finishedAt)));
  return parseResult({
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    runtime: { name: agreed(shards.map((s) => s.result.runtime.name)), version: agreed(shards.map((s) => s.result.runtime.version)) },
    machine: machineOf(shards),
    server: first.server,
    plan,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    durationMs: finishedAt - startedAt,
    status: complete ? "complete" : shards.some((s) => s.result.status === "aborted") ? "aborted" : "partial",
    ...(warmup ? { warmup } : {}),
    levels,
    analysis: analyze(levels, warmup, plan),
    verdict: overallVerdict(levels, warmup),
    merged: { shards: shards.length, planFingerprint: shards[0].shard.planFingerprint },
  });
}
