/**
 * How loaded the load generator itself is while it measures: CPU time over
 * wall time, event-loop lag (how late a 20 ms timer fires), and, where the OS
 * tells, how long it was ready to run but waited for a core. A generator near
 * a full core or lagging cannot tell a slow server from its own limit, so such
 * a measurement is marked `generator-bound`.
 *
 * Lag of seconds at a low CPU share is not the generator's own work: it is a
 * generator waiting for a core the servers and other workers hold (measured:
 * a worker at 9 % CPU waited ~100 % of the time with 8 busy processes on 2
 * cores). `cpuWaitPct` tells the two apart in the report. RSS is read only a
 * few times a second: `process.memoryUsage()` walks the heap on Node
 * (0.36 ms at a 3M-object heap) and must not run on every tick.
 */
import * as v from "valibot";
import { Histogram } from "../model/histogram.ts";
import { GeneratorSchema } from "../model/result.ts";
import type { Memory } from "../model/runtime-contract.ts";
import { msToNs, now } from "./clock.ts";

/** One process's load while it generated: `Generator` (the result's) without the process count and the verdict on it. */
export const GeneratorLoadSchema = v.omit(GeneratorSchema, ["processes", "bound"]);
export type GeneratorLoad = v.InferOutput<typeof GeneratorLoadSchema>;

const TICK_MS = 20;
/** RSS is read every this many ticks (500 ms) */
const RSS_EVERY = 25;
/** a generator above this share of a core, or lagging this much at p99, is the bottleneck itself */
export const CPU_BOUND_PCT = 90;
export const LAG_BOUND_MS = 50;

export const isGeneratorBound = (load: GeneratorLoad): boolean => load.cpuPct >= CPU_BOUND_PCT || load.lagP99Ms > LAG_BOUND_MS;

/** Starts sampling; the returned function stops and reports. */
export function sampleGeneratorLoad(
  cpuMicros: () => number,
  memory: () => Memory,
  cpuWaitMicros?: () => number | undefined,
): () => GeneratorLoad {
  const lag = new Histogram();
  const cpu0 = cpuMicros();
  const wait0 = cpuWaitMicros?.();
  const t0 = now();
  let maxRss = memory().rssBytes;
  let expected = t0 + TICK_MS;
  let ticks = 0;
  const sampleRss = (): void => {
    const rss = memory().rssBytes;
    if (rss > maxRss) maxRss = rss;
  };
  const timer = setInterval(() => {
    const t = now();
    lag.record(msToNs(Math.max(0, t - expected)));
    expected = t + TICK_MS;
    if (++ticks % RSS_EVERY === 0) sampleRss();
  }, TICK_MS);
  return () => {
    clearInterval(timer);
    sampleRss();
    const wallMs = Math.max(now() - t0, 1e-3);
    const wait1 = wait0 === undefined ? undefined : cpuWaitMicros?.();
    return {
      cpuPct: ((cpuMicros() - cpu0) / 1000 / wallMs) * 100,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
      maxRssBytes: maxRss,
      ...(wait0 !== undefined && wait1 !== undefined ? { cpuWaitPct: Math.max(0, ((wait1 - wait0) / 1000 / wallMs) * 100) } : {}),
    };
  };
}

/** The load of several processes at once: the worst of each figure, the sum of the memory. */
export function combineLoads(loads: readonly GeneratorLoad[]): GeneratorLoad {
  return {
    cpuPct: Math.max(0, ...loads.map((l) => l.cpuPct)),
    lagP99Ms: Math.max(0, ...loads.map((l) => l.lagP99Ms)),
    lagMaxMs: Math.max(0, ...loads.map((l) => l.lagMaxMs)),
    maxRssBytes: loads.reduce((sum, l) => sum + l.maxRssBytes, 0),
    ...(loads.some((l) => l.cpuWaitPct !== undefined) ? { cpuWaitPct: Math.max(0, ...loads.map((l) => l.cpuWaitPct ?? 0)) } : {}),
  };
}
