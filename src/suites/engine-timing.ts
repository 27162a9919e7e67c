/**
 * Engine-layer timing through mitata's `measure()`: the hub's hot path,
 * in-process, with no sockets. Budgets are small so a quick run stays quick.
 */
import { measure } from "mitata";

const BUDGET_NS = 150 * 1e6;

export type EngineTiming = {
  /** operations per second from the mean time per call */
  opsPerSec: number;
  /** per-call p95 in ns, timed one call at a time (present when `perCall` was asked) */
  p95Ns?: number;
};

/**
 * Times `fn`, which performs `opsPerCall` operations per call. mitata batches
 * fast functions, which gives an accurate mean; with `perCall` a second,
 * unbatched pass times every call alone so the p95 is of single operations,
 * not of batch averages.
 */
export async function timeEngine(fn: () => unknown, opsPerCall = 1, perCall = false): Promise<EngineTiming> {
  const batched = await measure(fn, { min_cpu_time: BUDGET_NS });
  const timing: EngineTiming = { opsPerSec: (1e9 / batched.avg) * opsPerCall };
  if (perCall) {
    const single = await measure(fn, { min_cpu_time: BUDGET_NS, batch_threshold: 0 });
    timing.p95Ns = percentileOfSamples(single.samples, 95) / opsPerCall;
  }
  return timing;
}

function percentileOfSamples(samples: number[], q: number): number {
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)];
}
