/**
 * The full sweep for `npm run bench`: `wsstress --full` on the Bun adapter
 * (the runtime the target names), all eight levels with all six suites, as a
 * child process so its wall time is the user's. Prints the wall time, the
 * peak total RSS, every level's sockets reached, errors, generator-bound mark
 * and headline figures, and the machine's load average while it ran: on a
 * shared machine a slow sweep must be read next to the load that slowed it.
 * The JSON and markdown reports stay in `$TMPDIR/wsstress-bench`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { resolveRuntimes } from "../src/host/executables.ts";
import { type LevelResult, parseResult, type Result } from "../src/model/result.ts";

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

/** The level's headline wire figures, one line: what each suite reached and its worst latency. */
function headline(level: LevelResult): string {
  const at = (suite: string, key: string): number | undefined =>
    level.suites.find((x) => x.suite === suite)?.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;
  const n = (
    v: number | undefined,
    digits = 0,
  ): string => (v === undefined ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: digits }));
  return [
    `${n(at("connection", "handshakes_per_s"))} handshakes/s`,
    `${n(at("message", "round_trips_per_s"))} round trips/s (p99 ${n(at("message", "rtt_p99_ms"), 1)} ms, ${
      n(at("message", "starved_connections"))
    } starved)`,
    `${n(at("subscription", "acks_per_s"))} acks/s`,
    `${n(at("broadcast", "deliveries_per_s"))} deliveries/s (p99 ${n(at("broadcast", "latency_p99_ms"), 1)} ms, lost ${
      n(at("broadcast", "lost"))
    }, duplicated ${n(at("broadcast", "duplicated"))})`,
    `${n(at("permission", "decisions_per_s"))} decisions/s (wrong allows ${n(at("permission", "wrong_allows"))})`,
  ].join(" · ");
}

type Sweep = { wallMs: number; exitCode: number | null; result?: Result; loads: number[] };

async function sweep(bun: string, window: number): Promise<Sweep> {
  mkdirSync(KEEP, { recursive: true });
  const json = path.join(KEEP, `full-window-${window}.json`);
  const markdown = path.join(KEEP, `full-window-${window}.md`);
  rmSync(json, { force: true });
  const loads = [os.loadavg()[0]];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]), LOAD_EVERY_MS);
  const t0 = performance.now();
  try {
    const child = spawn(bun, [CLI, "--full", "--window", String(window), "--no-color", "--json", json, "--markdown", markdown], {
      stdio: ["ignore", "ignore", "inherit"],
    });
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

function print(window: number, version: string, s: Sweep): void {
  const levels = s.result?.levels ?? [];
  const peakRss = Math.max(0, ...levels.map((l) => l.resources?.peakRssBytes ?? 0));
  const reached = levels.filter((l) => (l.resources?.peakSockets ?? 0) >= l.level.connections).length;
  console.log(
    `full sweep, bun ${version}, window ${window}: ${seconds(s.wallMs)} wall (target ≤ ${TARGET_S} s), exit ${s.exitCode}, status ${
      s.result?.status ?? "no result"
    }, ` +
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
    console.log(`  ${"".padEnd(18)} ${headline(l)}`);
  }
  if (s.result) console.log(`  reports: ${path.join(KEEP, `full-window-${window}.{json,md}`)}`);
}

/** Runs the sweep once per window and prints each; `BENCH_FULL=0` skips it, `BENCH_FULL_WINDOWS=1,16` picks the windows. */
export async function fullSweeps(): Promise<void> {
  if (process.env.BENCH_FULL === "0") return console.log("full sweep: skipped (BENCH_FULL=0)");
  const [bun] = await resolveRuntimes(["bun"]).catch(() => [undefined]);
  if (!bun) return console.log("full sweep: skipped (no bun executable; `npm install` brings one)");
  const windows = (process.env.BENCH_FULL_WINDOWS ?? "1,16").split(",").map(Number).filter((w) => Number.isInteger(w) && w > 0);
  for (const window of windows) print(window, bun.version, await sweep(bun.executable, window));
}
