/**
 * Engine-layer timing through mitata's `measure()`: the hub's hot path,
 * in-process, with no sockets. Budgets are small so a quick run stays quick.
 */
import { measure } from "mitata";

/** one untimed round to warm the code, then ROUNDS timed ones of ROUND_NS each */
const ROUNDS = 5;
const ROUND_NS = 30 * 1e6;

export type EngineTiming = {
  /** operations per second from the mean time per call, of the fastest round */
  opsPerSec: number;
  /** per-call p95 in ns, timed one call at a time, of the fastest round (present when `perCall` was asked) */
  p95Ns?: number;
};

/**
 * Times `fn`, which performs `opsPerCall` operations per call, in ROUNDS rounds after a warm-up, and keeps the fastest:
 * the machine only ever slows a round down. Over 16 unchanged runs the RBAC check read 16–51 M checks/s (±60 % a run)
 * timed in one 150 ms round, and 23–57 M/s (±33 %) as the fastest of five 30 ms rounds. mitata batches fast functions,
 * which gives an accurate mean; with `perCall` a second, unbatched pass times every call alone so the p95 is of single
 * operations, not of batch averages.
 */
export async function timeEngine(fn: () => unknown, opsPerCall = 1, perCall = false): Promise<EngineTiming> {
  const opsPerSec = (1e9 / await fastest(() => measure(fn, { min_cpu_time: ROUND_NS }), (s) => s.avg)) * opsPerCall;
  if (!perCall) return { opsPerSec };
  const single = await fastest(() => measure(fn, { min_cpu_time: ROUND_NS, batch_threshold: 0 }), (s) => p95Of(s.samples));
  return { opsPerSec, p95Ns: single / opsPerCall };
}

/** the lowest `figure` of ROUNDS timed rounds, after one round that warms the code */
async function fastest<T>(round: () => Promise<T>, figure: (stats: T) => number): Promise<number> {
  await round();
  let best = Infinity;
  for (let i = 0; i < ROUNDS; i++) best = Math.min(best, figure(await round()));
  return best;
}

function p95Of(samples: number[]): number {
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}
