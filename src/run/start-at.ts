/**
 * `--start-at ISO-TIME` / `.startAt(time)`: the instant a run's levels start,
 * so shards on several machines load the server together. The warm-up runs
 * before the wait; the wait is bounded and ends at once on abort. Clocks of
 * different machines are trusted as they are: keep them in sync (NTP).
 */
import { inputError } from "../model/input-error.ts";

/** the furthest ahead a start may be: a shard waiting longer is almost surely a typo */
export const MAX_START_AHEAD_MS = 24 * 60 * 60 * 1000;

/** an ISO 8601 date and time with a zone (Z or ±hh:mm) */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Checks a start time and returns it as a UTC ISO string; a RangeError worded
 * by the input formatter otherwise. A time already past is accepted (the run
 * starts at once and says so).
 */
export function checkStartAt(input: string | Date, nowMs: number = Date.now(), subject = "startAt"): string {
  const allowed = `an ISO 8601 time with a zone, e.g. 2026-01-31T12:00:00Z or 2026-01-31T13:00:00+01:00, at most ${
    MAX_START_AHEAD_MS / 3_600_000
  } h ahead`;
  const text = typeof input === "string" ? input.trim() : "";
  const ms = input instanceof Date ? input.getTime() : ISO_WITH_ZONE.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw inputError(subject, `start time ${JSON.stringify(String(input))} is not a time`, allowed);
  if (ms - nowMs > MAX_START_AHEAD_MS) {
    throw inputError(subject, `start time ${new Date(ms).toISOString()} is more than ${MAX_START_AHEAD_MS / 3_600_000} h ahead`, allowed);
  }
  return new Date(ms).toISOString();
}

/** Waits until `startAt` (epoch ms), or less if aborted; resolves the ms it waited (0 when the time was past). */
export function waitUntil(startAtMs: number, signal: AbortSignal): Promise<number> {
  const waitMs = Math.min(MAX_START_AHEAD_MS, startAtMs - Date.now());
  if (waitMs <= 0 || signal.aborted) return Promise.resolve(0);
  const started = Date.now();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve(Date.now() - started);
    };
    // timers top out at 2^31 − 1 ms (24.8 days), far above the bound
    const timer = setTimeout(done, waitMs);
    signal.addEventListener("abort", done, { once: true });
  });
}
