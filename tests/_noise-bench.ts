/**
 * `npm run bench`'s check of the noise rule on real runs: how often
 * `wsstress compare` and `wsstress matrix` call something, on changes known
 * in advance.
 *
 * - Three servers, each the reference hub in a process of its own
 *   (`tests/fixtures/injected-change-server.ts`): unchanged, holding every
 *   reply 2 ms, and 20 % slower by design (echo replies capped at 80 % of
 *   the median round trips/s of CALIBRATION_RUNS runs on the unchanged one).
 * - Each try runs the same plan against them interleaved (baseline,
 *   unchanged, held, slower, then the next round in the other order), RUNS
 *   times each, and hands the files to `wsstress compare` (RUNS baselines
 *   -- RUNS currents, the rank test), and every pair of one run each to the
 *   same rule (the default noise model).
 * - Then two matrices of one plan, and how many winners each called, how
 *   many both called alike, and how many contradict.
 *
 * Targets: no regression called on unchanged runs, no contradicting winner,
 * the two injected changes called every time by the rank test.
 * `BENCH_NOISE=0` skips it; `BENCH_NOISE_TRIES` (default 2), `BENCH_NOISE_RUNS`
 * (default 10), `BENCH_NOISE_LEVEL` (a seed level instead of 10 connections ×
 * 1,000 round trips), `BENCH_MATRIX_ROUNDS` (default 5) and `BENCH_MATRIX=0`
 * size it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type LevelInput, stress } from "../mod.ts";
import { compareResults } from "../src/analysis/baseline-comparison.ts";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { type Comparison, parseComparison } from "../src/model/comparison-document.ts";
import type { LevelName } from "../src/model/levels.ts";
import type { Matrix } from "../src/model/matrix-document.ts";
import type { Result, SuiteName } from "../src/model/result.ts";

const TRIES = Number(process.env.BENCH_NOISE_TRIES ?? 2);
/**
 * 10 of each: the rank test's 95 % interval runs from the 24th smallest to the 24th largest of the 100 pairwise ratios,
 * so one or two runs that land in someone else's burst of load (each on the wrong side of 10 of them) cannot carry it
 * across zero. With 6 of each it is the 6th of 36, and one slow baseline run did: a 27 % loss read −33.0 to +6.1 %.
 */
const RUNS = Number(process.env.BENCH_NOISE_RUNS ?? 10);
/**
 * 10 connections × 5,000 round trips: few enough in flight that a round trip is short next to the 2 ms hold (with 100 in a
 * closed loop the client's own queue hides it: Little's law), and about a second of closed loop at the 50,000 round
 * trips/s a client reaches here (1,000 each lasted 0.2 s, and its runs' rates spread so far that a real 20 % loss was
 * "same" in 6 + 6 runs). `BENCH_NOISE_LEVEL` names a seed level instead.
 */
const LEVEL: LevelInput = (process.env.BENCH_NOISE_LEVEL as LevelName | undefined) ??
  { name: "noise", operations: 10_000, connections: 10, messagesPerConnection: 5_000, subscribers: 5 };
const LEVEL_NAME = typeof LEVEL === "string" ? LEVEL : LEVEL.name;
const MATRIX_ROUNDS = Number(process.env.BENCH_MATRIX_ROUNDS ?? 5);
const SUITES: SuiteName[] = ["message", "permission", "broadcast"];
const CLI = fileURLToPath(new URL("../src/bin/cli.ts", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/injected-change-server.ts", import.meta.url));
const runtime = detectRuntime();

type Change = "none" | "hold-2ms" | "cap-echoes";
type Server = { url: string; stop(): void };

const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** the runs whose median round trips/s the 20 % slower server is set against */
const CALIBRATION_RUNS = 3;
const SLOWER_SHARE = 0.8;

function startServer(change: Change, perSec?: number): Promise<Server> {
  const { command, args } = runtimeCommand(runtime, FIXTURE);
  const child = spawn(command, [...args, change, ...(perSec === undefined ? [] : [String(perSec)])], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`the ${change} server exited (${code}) before it listened`)));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (!out.includes("\n")) return;
      child.removeAllListeners("exit");
      resolve({ url: JSON.parse(out.split("\n")[0]).url, stop: () => child.kill("SIGTERM") });
    });
  });
}

async function runOnce(url: string): Promise<Result> {
  return (await stress().level(LEVEL).suite(...SUITES).target(url).run()).json;
}

/**
 * The median message round trips/s of CALIBRATION_RUNS runs against `url`, after one to warm it, each the plan the tries
 * run (a message suite alone, without the warm-up, read 29,600/s where the tries' runs read about 50,000)
 */
async function roundTripsOf(url: string): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i <= CALIBRATION_RUNS; i++) {
    const message = (await runOnce(url)).levels[0].suites.find((x) => x.suite === "message");
    if (i > 0) rates.push(message?.metrics.find((m) => m.layer === "wire" && m.key === "round_trips_per_s")?.value ?? 0);
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

/**
 * The 20 % slower server: echoes capped so the closed loop reaches SLOWER_SHARE of the unchanged server's median. A
 * closed loop reaches somewhat less than the cap (about 88 % here), so the cap is set once, measured, and set again.
 */
async function slowerServer(unchanged: Server): Promise<Server> {
  const target = SLOWER_SHARE * await roundTripsOf(unchanged.url);
  const trial = await startServer("cap-echoes", Math.round(target));
  const reached = await roundTripsOf(trial.url).finally(() => trial.stop());
  const perSec = Math.round((target * target) / reached);
  console.log(
    `  the 20 % slower server: target ${Math.round(target)} round trips/s (${SLOWER_SHARE * 100} % of the unchanged median); ` +
      `a cap of ${Math.round(target)} echoes/s reached ${Math.round(reached)}, so the cap is ${perSec}`,
  );
  return startServer("cap-echoes", perSec);
}

/** `wsstress compare` as a user runs it: the exit code and the comparison document. */
function compareCli(baselines: string[], currents: string[], dir: string): Promise<{ code: number | null; comparison: Comparison }> {
  const out = path.join(dir, `compare-${Math.random().toString(36).slice(2)}.json`);
  const { command, args } = runtimeCommand(runtime, CLI);
  const child = spawn(command, [...args, "compare", ...baselines, "--", ...currents, "--json", out, "--no-color"], { stdio: "ignore" });
  return new Promise((resolve) =>
    child.once("exit", (code) => resolve({ code, comparison: parseComparison(JSON.parse(readFileSync(out, "utf8"))) }))
  );
}

const called = (c: Comparison, change: "regressed" | "improved") =>
  c.rows.filter((r) => r.change === change).map((r) => `${r.suite} ${r.label}`);
const calls = (c: Comparison) => [...called(c, "regressed").map((m) => `${m} ↓`), ...called(c, "improved").map((m) => `${m} ↑`)];
const rowOf = (c: Comparison, suite: string, key: string) => c.rows.find((r) => r.suite === suite && r.key === key);
const signed = (x: number) => `${x > 0 ? "+" : ""}${x.toFixed(1)}`;
/** the change and its interval: a call needs the whole interval beyond the tolerance */
const pct = (c: Comparison, suite: string, key: string) => {
  const call = rowOf(c, suite, key)?.call;
  if (call?.changePercent === null || call === undefined) return "–";
  const interval = call.interval ? ` (interval ${signed(call.interval[0])} to ${signed(call.interval[1])} %)` : "";
  return `${signed(call.changePercent)} %${interval}`;
};

type Tally = {
  tries: number;
  unchanged: string[][];
  held: boolean[];
  slower: boolean[];
  pairs: { unchanged: number; held: number; slower: number; n: number };
  /** each metric the default model called on an unchanged pair, with the change of every such call in percent */
  falsePairCalls: Map<string, number[]>;
  /** the change of each one-run pair, in percent: the held server's RTT p50 and the slower one's round trips/s */
  pairChanges: { held: number[]; slower: number[] };
};

async function oneTry(servers: Record<Change, Server>, dir: string, tally: Tally): Promise<void> {
  const files: Record<"base" | Change, string[]> = { base: [], none: [], "hold-2ms": [], "cap-echoes": [] };
  const runs: Record<"base" | Change, Result[]> = { base: [], none: [], "hold-2ms": [], "cap-echoes": [] };
  for (let i = 0; i < RUNS; i++) {
    const order: Array<"base" | Change> = ["base", "none", "hold-2ms", "cap-echoes"];
    for (const side of i % 2 === 0 ? order : order.reverse()) {
      const result = await runOnce(servers[side === "base" ? "none" : side].url);
      const file = path.join(dir, `${tally.tries}-${side}-${i}.json`);
      writeFileSync(file, JSON.stringify(result));
      files[side].push(file);
      runs[side].push(result);
    }
  }
  const [same, held, slower] = await Promise.all(
    (["none", "hold-2ms", "cap-echoes"] as const).map((side) => compareCli(files.base, files[side], dir)),
  );
  tally.tries++;
  tally.unchanged.push(calls(same.comparison));
  tally.held.push(rowOf(held.comparison, "message", "rtt_p50_ms")?.change === "regressed");
  tally.slower.push(rowOf(slower.comparison, "message", "round_trips_per_s")?.change === "regressed");
  const falseCalls = calls(same.comparison).join(", ") || "none";
  const [p50, roundTrips] = [rowOf(held.comparison, "message", "rtt_p50_ms"), rowOf(slower.comparison, "message", "round_trips_per_s")];
  console.log(`  try ${tally.tries} (${RUNS} + ${RUNS} runs, load ${load()}): unchanged exit ${same.code}, calls: ${falseCalls}`);
  console.log(`    2 ms hold: exit ${held.code}, RTT p50 ${pct(held.comparison, "message", "rtt_p50_ms")} ${p50?.change}`);
  const slowerBy = pct(slower.comparison, "message", "round_trips_per_s");
  console.log(`    20 % slower: exit ${slower.code}, round trips ${slowerBy} ${roundTrips?.change}`);
  for (let i = 0; i < RUNS; i++) {
    const one = (side: Change) => compareResults(runs.base[i], runs[side][i]);
    tally.pairs.n++;
    const unchanged = one("none");
    if (unchanged.regressed > 0) tally.pairs.unchanged++;
    for (const r of unchanged.rows.filter((x) => x.change === "regressed" || x.change === "improved")) {
      const m = `${r.suite} ${r.label} ${r.change === "regressed" ? "↓" : "↑"}`;
      tally.falsePairCalls.set(m, [...(tally.falsePairCalls.get(m) ?? []), r.call.changePercent ?? NaN]);
    }
    const held = rowOf(one("hold-2ms"), "message", "rtt_p50_ms");
    const slower = rowOf(one("cap-echoes"), "message", "round_trips_per_s");
    if (held?.change === "regressed") tally.pairs.held++;
    if (slower?.change === "regressed") tally.pairs.slower++;
    tally.pairChanges.held.push(held?.call.changePercent ?? NaN);
    tally.pairChanges.slower.push(slower?.call.changePercent ?? NaN);
  }
}

async function compareBench(): Promise<void> {
  const plan = `level ${LEVEL_NAME} ${SUITES.join(", ")} on ${runtime} against the hub in its own process`;
  console.log(`\nnoise rule, compare: ${plan}; ${TRIES} tries of ${RUNS} runs per side; load ${load()}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-noise-"));
  const started = await Promise.all((["none", "hold-2ms"] as const).map((change) => startServer(change)));
  const servers = { none: started[0], "hold-2ms": started[1], "cap-echoes": await slowerServer(started[0]) };
  const tally: Tally = {
    tries: 0,
    unchanged: [],
    held: [],
    slower: [],
    pairs: { unchanged: 0, held: 0, slower: 0, n: 0 },
    falsePairCalls: new Map(),
    pairChanges: { held: [], slower: [] },
  };
  try {
    for (let t = 0; t < TRIES; t++) await oneTry(servers, dir, tally);
  } finally {
    for (const s of Object.values(servers)) s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const count = (xs: boolean[]) => xs.filter(Boolean).length;
  const [n, falseCalls] = [tally.tries, tally.unchanged.filter((c) => c.length > 0).length];
  console.log(
    `  rank test, ${RUNS} + ${RUNS} runs: unchanged called something in ${falseCalls} of ${n} tries (target 0); ` +
      `2 ms hold called in ${count(tally.held)} of ${n}; 20 % slower called in ${count(tally.slower)} of ${n} (target: every time)`,
  );
  const { pairs } = tally;
  console.log(
    `  default noise model, 1 + 1 run: a false regression in ${pairs.unchanged} of ${pairs.n} unchanged pairs; ` +
      `2 ms hold called in ${pairs.held} of ${pairs.n}; 20 % slower called in ${pairs.slower} of ${pairs.n} ` +
      "(one run of each cannot see the spread: the output says so)",
  );
  /** every pair's change, lowest first: what a wider or narrower assumed spread would have called is read off it */
  const sortedChanges = (xs: number[]) => xs.filter(Number.isFinite).sort((a, b) => a - b).map((x) => `${signed(x)}`).join(" ") + " %";
  console.log(
    `    one run of each, the change per pair: 2 ms hold RTT p50 ${sortedChanges(tally.pairChanges.held)}; 20 % slower round trips ${
      sortedChanges(tally.pairChanges.slower)
    }`,
  );
  const most = [...tally.falsePairCalls].sort((a, b) => b[1].length - a[1].length).slice(0, 6);
  if (most.length > 0) {
    const each = ([m, changes]: [string, number[]]) => `${m} ${changes.length}× (${changes.map((c) => `${signed(c)} %`).join(", ")})`;
    console.log(`    called on unchanged pairs: ${most.map(each).join(", ")}`);
  }
}

type Call = { outcome: string; leader: string };

function matrixCalls(m: Matrix): Map<string, Call> {
  return new Map(m.metrics.map((x) => [x.id, { outcome: x.outcome, leader: x.leader }]));
}

async function matrixBench(): Promise<void> {
  const plan = () =>
    stress().level(LEVEL).suite(...SUITES).runtimes({ servers: ["node", "deno", "bun"], clients: ["node"] }).rounds(MATRIX_ROUNDS);
  const what = `level ${LEVEL_NAME} ${SUITES.join(", ")}, servers node, deno, bun, client node, ${MATRIX_ROUNDS} rounds`;
  console.log(`\nnoise rule, matrix: ${what}, twice; load ${load()}`);
  const first = matrixCalls((await plan().run()).json);
  const second = matrixCalls((await plan().run()).json);
  const wins = (calls: Map<string, Call>) => [...calls.values()].filter((c) => c.outcome === "win").length;
  let same = 0;
  let contradict = 0;
  let once = 0;
  for (const [id, a] of first) {
    const b = second.get(id);
    if (!b || (a.outcome !== "win" && b.outcome !== "win")) continue;
    if (a.outcome === "win" && b.outcome === "win") {
      if (a.leader === b.leader) same++;
      else (contradict++, console.log(`  contradicting: ${id}: ${a.leader}, then ${b.leader}`));
    } else once++;
  }
  console.log(
    `  winners called: ${wins(first)} then ${wins(second)} of ${first.size} metrics; the same winner in both ${same}; ` +
      `called in one only ${once}; contradicting ${contradict} (target 0); load ${load()}`,
  );
}

export async function noiseBench(): Promise<void> {
  if (process.env.BENCH_NOISE === "0") return void console.log("\nnoise rule: skipped (BENCH_NOISE=0)");
  const t0 = performance.now();
  await compareBench();
  if (process.env.BENCH_MATRIX !== "0") await matrixBench();
  console.log(`  noise rule bench: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
