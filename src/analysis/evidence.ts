/**
 * @module
 * What a figure needs before it is judged. A rate over a few milliseconds,
 * a percentile over a handful of samples or a throughput the level's own
 * concurrency capped is shown, with the reason, but never ✅ or ❌: the
 * report says "too few samples to judge" rather than calling noise a fault.
 *
 * - A rate is judged from at least `RATE_MIN_EVENTS` events over at least
 *   `RATE_MIN_SPAN_MS` of wall time: below that, the ramp at the start and
 *   the last straggler decide the figure (docs/honest-numbers.md, "When a figure is judged").
 * - A percentile p is judged when at least `TAIL_MIN_SAMPLES` samples lie
 *   beyond it (n × (1 − p/100) ≥ 10: a p99 from 1,000 samples, a p95 from
 *   200, a p50 from 20); with fewer than one sample beyond it, it is the
 *   maximum, and is labelled so.
 * - A closed loop's throughput is the server's capacity only when its
 *   requests queued: by Little's law it is in flight ÷ latency, so when the
 *   queued latency is under twice the paced phase's median the figure is
 *   the level's concurrency (connections × window ÷ RTT), not the server's.
 *
 * @example
 * ```ts
 * import { percentileEvidence, rateJudged } from "./evidence.ts";
 * rateJudged(10, 10); // false: 10 events over 10 ms
 * percentileEvidence(99, 10); // { judged: false, isMax: true, needed: 1000 }: the p99 of 10 samples is their maximum
 * ```
 */

/** what a figure shown without the evidence to judge it says first */
export const TOO_FEW = "too few samples to judge";

export const RATE_MIN_EVENTS = 1_000;
export const RATE_MIN_SPAN_MS = 1_000;
export const TAIL_MIN_SAMPLES = 10;
/** the queued latency must be at least this multiple of the unqueued one for a closed loop to measure capacity */
export const QUEUE_FACTOR = 2;

/** Whether a rate of `events` over `spanMs` can be judged. */
export const rateJudged = (events: number, spanMs: number): boolean => events >= RATE_MIN_EVENTS && spanMs >= RATE_MIN_SPAN_MS;

/** Samples that lie beyond percentile `q` of `count` samples. */
export const beyond = (q: number, count: number): number => count * (1 - q / 100);

/** Whether percentile `q` of `count` samples can be judged, whether it is simply their maximum, and how many it needs. */
export function percentileEvidence(q: number, count: number): { judged: boolean; isMax: boolean; needed: number } {
  const tail = beyond(q, count);
  return { judged: tail >= TAIL_MIN_SAMPLES, isMax: tail < 1, needed: Math.ceil(TAIL_MIN_SAMPLES / (1 - q / 100)) };
}

/**
 * Whether a closed loop's throughput was capped by its own concurrency: `inFlight` requests over `unqueuedMs`
 * each (the paced phase's median) allow at most inFlight ÷ unqueuedMs per second; a figure above 1 / QUEUE_FACTOR
 * of that bound saw no queue worth the name. Returns the bound and the share reached, or undefined when it queued
 * (or went past the bound, which only a paced phase slower than the closed loop allows: no unqueued latency then).
 */
export function concurrencyBound(
  throughputPerSec: number,
  inFlight: number,
  unqueuedMs: number,
): { boundPerSec: number; reachedPct: number } | undefined {
  if (!(unqueuedMs > 0) || !(inFlight > 0) || !(throughputPerSec > 0)) return undefined;
  const boundPerSec = (inFlight / unqueuedMs) * 1_000;
  // above the bound, the closed loop waited less than the paced phase did: that median was no unqueued latency
  if (throughputPerSec * QUEUE_FACTOR < boundPerSec || throughputPerSec > boundPerSec) return undefined;
  return { boundPerSec, reachedPct: (throughputPerSec / boundPerSec) * 100 };
}

/** Memory per connection is read from this many connections added… */
export const MEMORY_MIN_CONNECTIONS = 1_000;
/** …and from a growth of at least this much: four times the ±0.5 MiB a reading varies after a forced collection */
export const MEMORY_MIN_DELTA_BYTES = 2 * 2 ** 20;

/**
 * Whether a memory reading's growth over `added` connections is the connections' and not the collector's or the
 * allocator's: both readings after a forced collection, enough connections, a growth well above a reading's noise.
 * Returns why not, or undefined when it is.
 */
export function memoryUnmeasurable(
  deltaBytes: number,
  added: number,
  collected: boolean,
): "not collected" | "too few" | "too small" | undefined {
  if (!collected) return "not collected";
  if (added < MEMORY_MIN_CONNECTIONS) return "too few";
  if (deltaBytes < MEMORY_MIN_DELTA_BYTES) return "too small";
  return undefined;
}
