/**
 * CPU time and memory of a process, for the runtime matrix, where each side
 * reports its own: another process's from Linux's `/proc/<pid>/stat` and
 * `/proc/<pid>/status` (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html),
 * our own from `process.cpuUsage()` and `process.resourceUsage()`, which
 * Node, Deno and Bun all implement.
 *
 * @example
 * ```ts
 * import { processUsage, selfUsage } from "./process-usage.ts";
 * processUsage(1234); // { cpuMs: 812.3, rssBytes: 61_440_000, peakRssBytes: 70_000_000 } or undefined off Linux
 * selfUsage();        // { cpuMs: 95.1, peakRssBytes: 52_000_000 }
 * ```
 */
import { readFileSync } from "node:fs";
import process from "node:process";

export type ProcessSample = { cpuMs: number; rssBytes: number; peakRssBytes: number };

/**
 * clock ticks per second of utime/stime: 100 on every Linux architecture
 * Node, Deno and Bun ship for (USER_HZ), and JS cannot call sysconf
 */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** `kB` lines of /proc/<pid>/status, in bytes */
function statusBytes(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** CPU time (user + system) and memory of process `pid`; undefined where there is no /proc or the process is gone. */
export function processUsage(pid: number): ProcessSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15
    let status = "";
    try {
      status = readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      // stat without status: keep the CPU figure
    }
    const rssBytes = statusBytes(status, "VmRSS") ?? Number(fields[21]) * PAGE_BYTES; // rss in pages: field 24
    const peakRssBytes = statusBytes(status, "VmHWM") ?? rssBytes;
    if (!Number.isFinite(ticks) || !Number.isFinite(rssBytes)) return undefined;
    return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssBytes, peakRssBytes };
  } catch {
    return undefined;
  }
}

/** This process's CPU time so far and its peak resident memory. */
export function selfUsage(): { cpuMs: number; peakRssBytes: number } {
  const { user, system } = process.cpuUsage();
  // maxRSS is in KiB on every platform Node documents; fall back to the current RSS
  const maxRssKiB = (process as { resourceUsage?: () => { maxRSS: number } }).resourceUsage?.().maxRSS;
  const peakRssBytes = maxRssKiB ? maxRssKiB * 1024 : process.memoryUsage().rss;
  return { cpuMs: (user + system) / 1000, peakRssBytes };
}
