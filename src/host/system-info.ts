/**
 * Facts about the machine and the runtime, for result documents and the
 * server's `stats`. Uses `node:os` and `node:process`, which Deno and Bun
 * both implement, so this one file serves all three runtimes.
 *
 * @example
 * ```ts
 * import { machine, runtimeInfo } from "./system-info.ts";
 * console.log(runtimeInfo(), machine()); // { name: "node", version: "24.21.0" } { os: "linux", ... }
 * ```
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import process from "node:process";
import type { Machine, Memory, RuntimeName } from "../model/runtime-contract.ts";

export type RuntimeInfo = { name: RuntimeName; version: string };
/** microseconds of CPU time spent since process start */
export type CpuUsage = { userMicros: number; systemMicros: number };

type Globals = { Bun?: { version: string }; Deno?: { version: { deno: string } } };
const globals = globalThis as unknown as Globals;

/** Which runtime this code runs on: Bun first, since Bun also defines `process`. */
export function detectRuntime(): RuntimeName {
  if (globals.Bun !== undefined) return "bun";
  if (globals.Deno !== undefined) return "deno";
  return "node";
}

export function runtimeInfo(): RuntimeInfo {
  const name = detectRuntime();
  const version = name === "bun" ? globals.Bun!.version : name === "deno" ? globals.Deno!.version.deno : process.versions.node;
  return { name, version };
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    os: os.platform(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    // the cores this process may use (cgroup/affinity aware), not the host's
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryBytes: os.totalmem(),
  };
}

export function cpuUsage(): CpuUsage {
  const { user, system } = process.cpuUsage();
  return { userMicros: user, systemMicros: system };
}

/**
 * µs the main thread has waited on a run queue: ready, but every core busy
 * (Linux's `/proc/self/schedstat`, second field, in ns). Undefined elsewhere.
 * https://docs.kernel.org/scheduler/sched-stats.html
 */
export function cpuWaitMicros(): number | undefined {
  try {
    const waited = Number(readFileSync("/proc/self/schedstat", "utf8").split(" ")[1]);
    return Number.isFinite(waited) ? waited / 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function memory(): Memory {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
}
