/**
 * How loaded the load generator itself is while it measures: CPU time over
 * wall time, and event-loop lag (how late a 20 ms timer fires). A generator
 * near a full core or lagging cannot tell a slow server from its own limit,
 * so such a measurement is marked `generator-bound`.
 */
import { Histogram } from "../core/histogram.ts";
import type { Memory } from "../core/runtime.ts";
import { msToNs, now } from "./clock.ts";

export type GeneratorLoad = {
  /** CPU time over wall time, % of one core */
  cpuPct: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** the process's RSS high-water mark while sampled */
  maxRssBytes: number;
};

const TICK_MS = 20;
/** a generator above this share of a core, or lagging this much at p99, is the bottleneck itself */
export const CPU_BOUND_PCT = 90;
export const LAG_BOUND_MS = 50;

export const isGeneratorBound = (load: GeneratorLoad): boolean => load.cpuPct >= CPU_BOUND_PCT || load.lagP99Ms > LAG_BOUND_MS;

/** Starts sampling; the returned function stops and reports. */
export function sampleGeneratorLoad(cpuMicros: () => number, memory: () => Memory): () => GeneratorLoad {
  const lag = new Histogram();
  const cpu0 = cpuMicros();
  const t0 = now();
  let maxRss = memory().rssBytes;
  let expected = t0 + TICK_MS;
  const timer = setInterval(() => {
    const t = now();
    lag.record(msToNs(Math.max(0, t - expected)));
    expected = t + TICK_MS;
    const rss = memory().rssBytes;
    if (rss > maxRss) maxRss = rss;
  }, TICK_MS);
  return () => {
    clearInterval(timer);
    const wallMs = Math.max(now() - t0, 1e-3);
    return {
      cpuPct: ((cpuMicros() - cpu0) / 1000 / wallMs) * 100,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
      maxRssBytes: maxRss,
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
  };
}
