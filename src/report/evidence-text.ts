/**
 * The words for a figure shown but not judged (`analysis/evidence.ts`,
 * `analysis/generator-bound.ts`): too few samples, a throughput capped by the
 * level's own concurrency, a phase the load generator limited. This text is
 * what a metric's `unjudged` keeps, and what `generator-bound` lines say.
 */
import { RATE_MIN_EVENTS, RATE_MIN_SPAN_MS, TOO_FEW } from "../analysis/evidence.ts";
import type { BoundBy, PhaseLoad } from "../model/result.ts";
import { formatDuration, formatNumber } from "./format.ts";

export const tooFewEvents = (events: number, spanMs: number): string =>
  `${TOO_FEW}: ${formatNumber(events)} events over ${formatDuration(spanMs)} ` +
  `(a rate is judged from ${formatNumber(RATE_MIN_EVENTS)} events over ${formatDuration(RATE_MIN_SPAN_MS)})`;

export const tooFewSamples = (q: number, count: number, needed: number, isMax: boolean): string =>
  `${TOO_FEW}: ${isMax ? `the p${q} of ${formatNumber(count)} samples is their maximum` : `${formatNumber(count)} samples`} ` +
  `(a p${q} is judged from ${formatNumber(needed)})`;

export const concurrencyText = (inFlight: number, unqueuedMs: number, boundPerSec: number, reachedPct: number): string =>
  `bound by the level's concurrency: ${formatNumber(inFlight)} in flight ÷ ${formatNumber(unqueuedMs)} ms (the paced median) ` +
  `allow ${formatNumber(boundPerSec, 0)}/s, and the closed loop reached ${
    formatNumber(reachedPct, 0)
  } % of that: its requests hardly queued`;

/** One generator finding, e.g. "latency at load: the load process sent behind its schedule by 2.1 ms at p99, 35 % of rtt_p99_ms". */
export function boundByText(b: BoundBy, processes: number, phase?: PhaseLoad): string {
  const who = processes > 1 ? `the busiest of ${processes} load processes` : "the load process";
  // where the OS tells: a process that mostly waited for a core was held back by the machine, not by its own work
  const waited = phase?.cpuWaitPct ?? 0;
  const wait = waited >= 50
    ? ` (it waited for a core ${formatNumber(waited, 0)} % of the time: the cores were busy with other processes)`
    : "";
  if (b.cause === "cpu") {
    return `capacity: ${who} used ${formatNumber(b.value, 0)} % of a core, so the throughput may be its own limit${wait}`;
  }
  const what = b.cause === "send_lag" ? "sent behind its schedule" : "ran late on its timers";
  return `latency at load: ${who} ${what} by ${formatNumber(b.value)} ms at p99, ${formatNumber(b.sharePct ?? 0, 0)} % of ${
    b.of ?? "the latency"
  }${wait}`;
}

export const GENERATOR_UNJUDGED = "generator-bound, judged only when it passes anyway";

/** Why a figure a generator-bound phase measured is not judged: it did not pass, and it may be the generator's limit. */
export const generatorUnjudged = (b: BoundBy, processes: number, phase?: PhaseLoad): string =>
  `${GENERATOR_UNJUDGED}: ${boundByText(b, processes, phase)}`;
