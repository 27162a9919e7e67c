/**
 * The progress of a suite whose wire layer runs in this process (no worker
 * shares to merge): a listener that cannot throw into the load's timers, and
 * the interval that reports the live counts.
 */
import type { SuiteRecorder } from "../suites/mod.ts";
import type { SuiteProgress } from "../model/suite-progress.ts";
import { ProgressMerge } from "./progress-merge.ts";
import { everyInterval } from "./progress-timer.ts";

/** A progress listener called from timers: its first throw is kept (for the suite to rethrow) and it is not called again. */
export function guarded(onProgress: (p: SuiteProgress) => void): { call(p: SuiteProgress): void; error?: { thrown: unknown } } {
  const guard: { call(p: SuiteProgress): void; error?: { thrown: unknown } } = {
    call(p) {
      if (guard.error) return;
      try {
        onProgress(p);
      } catch (thrown) {
        guard.error = { thrown };
      }
    },
  };
  return guard;
}

/**
 * Reports the progress of a wire layer running in this process every
 * interval; the returned function stops and reports the final counts.
 */
export function watchHere(
  record: SuiteRecorder,
  started: number,
  cpuMicros: () => number,
  onProgress: (p: SuiteProgress) => void,
): () => void {
  const merge = new ProgressMerge(record.live.answeredLabel, 1, started);
  let load = { cpuPct: 0, lagMs: 0 };
  const report = (final: boolean): void => {
    merge.update(0, { ...record.live.read(), ...load });
    const event = merge.event(final);
    if (event) onProgress(event);
  };
  const stop = everyInterval(cpuMicros, (now) => {
    load = now;
    report(false);
  });
  return () => {
    stop();
    report(true);
  };
}
