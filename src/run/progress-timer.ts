/**
 * The clock of a suite's progress: a few times a second, never per message.
 * Each tick also says how loaded this process was over the interval: its
 * share of a core, and how late the tick itself fired (event-loop lag), so
 * the progress of a generator measures its load without a timer of its own.
 */

/** how often a suite's counters are read: often enough for a bar that moves, rare enough to cost nothing */
export const PROGRESS_INTERVAL_MS = 500;

export type IntervalLoad = { cpuPct: number; lagMs: number };

/** Calls `tick` every PROGRESS_INTERVAL_MS with this process's load since the tick before; returns the function that stops it. */
export function everyInterval(cpuMicros: () => number, tick: (load: IntervalLoad) => void): () => void {
  let last = performance.now();
  let cpu = cpuMicros();
  const timer = setInterval(() => {
    const now = performance.now();
    const used = cpuMicros();
    const wallMs = Math.max(now - last, 1e-3);
    const load = { cpuPct: Math.max(0, (used - cpu) / 10 / wallMs), lagMs: Math.max(0, wallMs - PROGRESS_INTERVAL_MS) };
    last = now;
    cpu = used;
    tick(load);
  }, PROGRESS_INTERVAL_MS);
  return () => clearInterval(timer);
}
