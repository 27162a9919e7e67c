/**
 * The open-loop driver: requests leave on a fixed schedule, `rate` per second
 * spread round-robin over the connections, whether or not earlier ones were
 * answered. Request `id` is intended at `start + id ÷ rate`, and is timed from
 * that instant, its own, so a server that stalls cannot hide behind the
 * requests the generator would otherwise have held back (no coordinated
 * omission).
 *
 * The scheduler wakes at the next request's intended time (not on a fixed
 * tick, which would add up to a tick to every latency) and whenever a reply
 * arrives, and sends everything due. How late each request left is its send
 * lag: the generator's own delay, which the latency includes and the report
 * shows beside it (`sendLag`).
 *
 * Bounded like the closed loop: it ends when every request is answered, or
 * when nothing has arrived for `stallMs` after the last send.
 */
import { Histogram } from "../model/histogram.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { Reply } from "../protocol/messages.ts";
import { epochMs, msToNs, now } from "./clock.ts";
import type { ErrorTally } from "./error-tally.ts";
import type { LoadConnection } from "./pool.ts";

/** The clock the schedule runs on and the timer it wakes on; a test passes a fake to control both. */
export type PacerTiming = {
  /** monotonic ms, the same clock as the `at` the connections' replies carry */
  now(): number;
  /** calls `fn` in `ms` (or as soon as it can when `ms` ≤ 0); returns what cancels it */
  wake(fn: () => void, ms: number): () => void;
};

const REAL_TIMING: PacerTiming = {
  now,
  wake(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

export type OpenLoopSpec = {
  /** requests in all, over all connections */
  total: number;
  /** requests per second, over all connections */
  rate: number;
  stallMs: number;
  signal?: AbortSignal;
  errors: ErrorTally;
  /** the frame of request `id` (its protocol id) on `conn`; undefined: the session sends it later itself */
  request(conn: LoadConnection, id: number): Frame | undefined;
  /** judges a reply (and counts any error it finds in it); `latencyNs` is from the request's intended send time */
  reply?(conn: LoadConnection, id: number, reply: Reply, latencyNs: number): void;
  timing?: PacerTiming;
  /** called once at the start with the reader of the requests answered so far and the running histogram (for progress) */
  watch?: (completed: () => number, latency: Histogram) => void;
};

export type OpenLoopOutcome = {
  latency: Histogram;
  completed: number;
  unanswered: number;
  startedMs: number;
  endedMs: number;
  /** how late each request left after its intended time: the generator's own delay */
  sendLag: Histogram;
};

/** how often the watchdog looks for a stall once everything is sent */
const WATCH_MS = 100;

export function runOpenLoop(connections: LoadConnection[], spec: OpenLoopSpec): Promise<OpenLoopOutcome> {
  const timing = spec.timing ?? REAL_TIMING;
  const latency = new Histogram();
  const sendLag = new Histogram();
  const answered = new Uint8Array(spec.total);
  const interval = 1000 / spec.rate;
  const startedMs = epochMs();
  const t0 = timing.now();
  const intendedOf = (id: number): number => t0 + id * interval;
  let sent = 0;
  let completed = 0;
  /** requests on connections that never opened or closed before their turn: never sent, never waited for */
  let lost = 0;
  let lastProgress = t0;
  let lastReplyMs = startedMs;
  let cancel = (): void => {};
  spec.watch?.(() => completed, latency);

  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      cancel();
      for (const c of connections) c.onReply = () => {};
      if (lost > 0) spec.errors.add("lost_request", `${lost} requests due on connections that were not open`, lost);
      const unanswered = spec.total - completed - lost;
      if (unanswered > 0) {
        const aborted = spec.signal?.aborted ?? false;
        spec.errors.add(
          aborted ? "aborted" : "timeout",
          `${unanswered} requests unanswered (${aborted ? "aborted" : `no reply for ${spec.stallMs} ms`})`,
          unanswered,
        );
      }
      // the span ends where the loop did: at the last reply, or at the stall; at a user's stop, at the last reply
      resolve({
        latency,
        completed,
        unanswered: spec.total - completed,
        startedMs,
        endedMs: spec.signal?.aborted ? lastReplyMs : epochMs(),
        sendLag,
      });
    };
    const settled = (): boolean => completed + lost === spec.total;

    /** sends every request whose intended time has come, each timed from its own */
    const pump = (): void => {
      const before = sent;
      while (sent < spec.total) {
        const t = timing.now();
        const intended = intendedOf(sent);
        if (intended > t) break;
        const id = sent++;
        sendLag.record(msToNs(t - intended));
        const conn = connections[id % connections.length];
        if (!conn.open) lost++;
        else {
          const frame = spec.request(conn, id);
          if (frame !== undefined) conn.socket.send(frame);
        }
      }
      // a send is progress; a wake that sent nothing is not, or the stall would never come
      if (sent > before) lastProgress = Math.max(lastProgress, timing.now());
    };

    const tick = (): void => {
      if (spec.signal?.aborted) return finish();
      pump();
      if (settled()) return finish();
      if (sent < spec.total) return void (cancel = timing.wake(tick, intendedOf(sent) - timing.now()));
      if (timing.now() - lastProgress > spec.stallMs) return finish();
      cancel = timing.wake(tick, Math.min(WATCH_MS, spec.stallMs));
    };

    for (const conn of connections) {
      conn.onReply = (reply, at) => {
        const id = (reply as { id?: number }).id;
        if (id === undefined || !Number.isInteger(id) || id < 0 || id >= sent || answered[id]) {
          spec.errors.add("bad_reply", `reply to unknown or already answered id ${id}`);
          return;
        }
        answered[id] = 1;
        const ns = msToNs(at - intendedOf(id));
        latency.record(ns);
        spec.reply?.(conn, id, reply, ns);
        completed++;
        lastProgress = at;
        lastReplyMs = performance.timeOrigin + at;
        if (settled()) return finish();
        // a reply is a chance to send what fell due since the last wake, without waiting for the timer
        if (sent < spec.total && intendedOf(sent) <= at) pump();
      };
    }
    if (spec.total === 0 || connections.length === 0) {
      lost = spec.total;
      return finish();
    }
    tick();
  });
}
