/**
 * The full sweep for `npm run bench`: `wsstress --full` on the Bun adapter
 * (the runtime the target names), all eight levels with all six suites, at
 * the defaults, as a child process so its wall time is the user's. Prints
 * the wall time, the peak total RSS, every level's sockets reached, errors and
 * per-suite times, then each suite's capacity (closed loop: its rate, the
 * requests in flight, Little's law) and latency at load (the paced rate
 * reached and the judged p99), with the generator-bound findings; and the
 * machine's load average while it ran: on a shared machine a slow sweep must
 * be read next to the load that slowed it. The JSON and markdown reports
 * stay in `$TMPDIR/wsstress-bench`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { resolveRuntimes } from "../src/host/executables.ts";
import { isBuiltinSuite, parseResult, type Result, type SuiteResult } from "../src/model/result.ts";
import { SUITES } from "../src/suites/mod.ts";

const CLI = fileURLToPath(new URL("../src/bin/cli.ts", import.meta.url));
const TARGET_S = 600;
const TARGET_RSS = 4 * 2 ** 30;
/** the sweep stops by itself; this only keeps a hung child from hanging the bench */
const KILL_AFTER_MS = 40 * 60_000;
const LOAD_EVERY_MS = 15_000;
/** where the sweep's reports are kept for reading after the bench */
const KEEP = path.join(os.tmpdir(), "wsstress-bench");

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const n = (
  v: number | undefined,
  digits = 0,
): string => (v === undefined ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: digits }));
const wire = (suite: SuiteResult, key: string): number | undefined => suite.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;

/** One suite's capacity and latency at load, one line; faults beside them; the generator's findings after. */
function split(suite: SuiteResult): string {
  const s = isBuiltinSuite(suite.suite) ? SUITES[suite.suite].split : undefined;
  if (!s) return "";
  const capacity = `capacity ${n(wire(suite, s.capacity))}/s` +
    (wire(suite, "in_flight") === undefined
      ? ""
      : ` (${n(wire(suite, "in_flight"))} in flight, Little's law ${n(wire(suite, "littles_law_ms"), 1)} ms)`);
  const paced = s.paced?.map((key) => `${key} p99 ${n(wire(suite, `${key}_p99_ms`), 2)} ms`).join(", ");
  const atLoad = paced
    ? ` · at load ${n(wire(suite, "paced_per_s"))}/s: ${paced}, send lag p99 ${n(wire(suite, "send_lag_p99_ms"), 2)} ms`
    : "";
  const faults = ["lost", "duplicated", "starved_connections", "wrong_allows", "failures"]
    .filter((k) => (wire(suite, k) ?? 0) > 0).map((k) => `${k} ${n(wire(suite, k))}`);
  const bound = (suite.generator?.boundBy ?? []).map((b) => `${b.phase} ${b.cause} ${n(b.value, 1)}${b.cause === "cpu" ? " %" : " ms"}`);
  return `${suite.suite.padEnd(12)} ${capacity}${atLoad}${faults.length ? ` · ${faults.join(", ")}` : ""}` +
    (bound.length ? ` · generator-bound: ${bound.join(", ")}` : "");
}

type Sweep = { wallMs: number; exitCode: number | null; result?: Result; loads: number[] };

/** `window` undefined: the defaults (each suite's capacity window) */
async function sweep(bun: string, window?: number): Promise<Sweep> {
  mkdirSync(KEEP, { recursive: true });
  const json = path.join(KEEP, `full-${name(window)}.json`);
  const markdown = path.join(KEEP, `full-${name(window)}.md`);
  rmSync(json, { force: true });
  const loads = [os.loadavg()[0]];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]), LOAD_EVERY_MS);
  const t0 = performance.now();
  try {
    const windowArgs = window === undefined ? [] : ["--window", String(window)];
    const args = [CLI, "--full", ...windowArgs, "--no-color", "--json", json, "--markdown", markdown];
    const child = spawn(bun, args, { stdio: ["ignore", "ignore", "inherit"] });
    const killer = setTimeout(() => child.kill("SIGTERM"), KILL_AFTER_MS);
    const exitCode = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    clearTimeout(killer);
    const wallMs = performance.now() - t0;
    // a sweep that failed part-way still wrote every level it finished
    let result: Result | undefined;
    try {
      result = parseResult(JSON.parse(readFileSync(json, "utf8")));
    } catch {
      result = undefined;
    }
    return { wallMs, exitCode, result, loads };
  } finally {
    clearInterval(sampler);
  }
}

const name = (window?: number): string => (window === undefined ? "defaults" : `window-${window}`);

function print(window: number | undefined, version: string, s: Sweep): void {
  const levels = s.result?.levels ?? [];
  const peakRss = Math.max(0, ...levels.map((l) => l.resources?.peakRssBytes ?? 0));
  const reached = levels.filter((l) => (l.resources?.peakSockets ?? 0) >= l.level.connections).length;
  console.log(
    `full sweep, bun ${version}, ${window === undefined ? "the defaults" : `window ${window}`}: ${
      seconds(s.wallMs)
    } wall (target ≤ ${TARGET_S} s), exit ${s.exitCode}, status ${s.result?.status ?? "no result"}, ` +
      `${reached}/${levels.length} levels reached their connection count, peak total RSS ${mib(peakRss)} (target ≤ ${mib(TARGET_RSS)})`,
  );
  console.log(
    `  load average (1 min): ${s.loads[0].toFixed(2)} at the start, median ${median(s.loads).toFixed(2)}, max ${
      Math.max(...s.loads).toFixed(2)
    } while it ran`,
  );
  for (const l of levels) {
    const r = l.resources;
    const suites = l.suites.map((x) => `${x.suite} ${seconds(x.durationMs)}`).join(" · ");
    const errors = l.suites.reduce((n, x) => n + x.errors.reduce((m, e) => m + e.count, 0), 0);
    console.log(
      `  ${l.level.name.padEnd(9)} ${seconds(l.durationMs).padStart(8)} · ${(r?.peakSockets ?? 0).toLocaleString("en-US")}/${
        l.level.connections.toLocaleString("en-US")
      } sockets · ` +
        `${mib(r?.peakRssBytes ?? 0)} over ${
          (r?.serverProcesses ?? 0) + Math.max(r?.workerProcesses ?? 0, 1)
        } processes · ${errors} errors${l.generatorBound ? " · generator-bound" : ""} · ${suites}`,
    );
    for (const suite of l.suites) {
      if (isBuiltinSuite(suite.suite) && SUITES[suite.suite].split) console.log(`  ${"".padEnd(18)} ${split(suite)}`);
    }
  }
  if (s.result) console.log(`  reports: ${path.join(KEEP, `full-${name(window)}.{json,md}`)}`);
}

/** Runs the sweep at the defaults and prints it; `BENCH_FULL=0` skips it, `BENCH_FULL_WINDOWS=1,16` runs it at those windows instead. */
export async function fullSweeps(): Promise<void> {
  if (process.env.BENCH_FULL === "0") return console.log("full sweep: skipped (BENCH_FULL=0)");
  const [bun] = await resolveRuntimes(["bun"]).catch(() => [undefined]);
  if (!bun) return console.log("full sweep: skipped (no bun executable; `npm install` brings one)");
  const windows = (process.env.BENCH_FULL_WINDOWS ?? "").split(",").map(Number).filter((w) => Number.isInteger(w) && w > 0);
  if (windows.length === 0) return print(undefined, bun.version, await sweep(bun.executable));
  for (const window of windows) print(window, bun.version, await sweep(bun.executable, window));
}

// `node tests/_full-sweep.ts`: the sweep alone, without the rest of the bench
if (process.argv[1]?.endsWith("_full-sweep.ts")) await fullSweeps();
