/**
 * The open-loop driver: requests leave on a fixed schedule, `rate` per second
 * spread round-robin over the connections, whether or not earlier ones were
 * answered. Each request is timed from its *intended* send time, so a server
 * that stalls cannot hide behind the requests the generator would otherwise
 * have held back (no coordinated omission).
 *
 * Bounded like the closed loop: it ends when every request is answered, or
 * when nothing has arrived for `stallMs` after the last send.
 */
import { Histogram } from "../model/histogram.ts";
import type { Frame } from "../model/runtime-contract.ts";
import { epochMs, msToNs, now } from "./clock.ts";
import type { ErrorTally } from "./error-tally.ts";
import type { LoadConnection } from "./pool.ts";

export type OpenLoopSpec = {
  /** requests in all, over all connections */
  total: number;
  /** requests per second, over all connections */
  rate: number;
  stallMs: number;
  signal?: AbortSignal;
  errors: ErrorTally;
  /** the frame of request `id` (its protocol id) on `conn` */
  request(conn: LoadConnection, id: number): Frame;
  /** called once at the start with the reader of the requests answered so far and the running histogram (for progress) */
  watch?: (completed: () => number, latency: Histogram) => void;
};

export type OpenLoopOutcome = {
  latency: Histogram;
  completed: number;
  unanswered: number;
  startedMs: number;
  endedMs: number;
  /** how far behind its schedule the generator sent, at worst: a late generator is a bound generator */
  maxSendLagMs: number;
};

/** how often the scheduler wakes; every request due by then leaves in that tick */
const TICK_MS = 2;

export function runOpenLoop(connections: LoadConnection[], spec: OpenLoopSpec): Promise<OpenLoopOutcome> {
  const latency = new Histogram();
  const intended = new Float64Array(spec.total);
  const answered = new Uint8Array(spec.total);
  const interval = 1000 / spec.rate;
  const startedMs = epochMs();
  const t0 = now();
  let sent = 0;
  let completed = 0;
  let lastProgress = t0;
  let lastReplyMs = startedMs;
  let maxSendLagMs = 0;
  spec.watch?.(() => completed, latency);

  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      for (const c of connections) c.onReply = () => {};
      const unanswered = spec.total - completed;
      if (unanswered > 0) {
        const aborted = spec.signal?.aborted ?? false;
        spec.errors.add(
          aborted ? "aborted" : "timeout",
          `${unanswered} requests unanswered (${aborted ? "aborted" : `no reply for ${spec.stallMs} ms`})`,
          unanswered,
        );
      }
      // the span ends where the loop did: at the last reply, or at the stall; at a user's stop, at the last reply
      resolve({ latency, completed, unanswered, startedMs, endedMs: spec.signal?.aborted ? lastReplyMs : epochMs(), maxSendLagMs });
    };

    for (const conn of connections) {
      conn.onReply = (reply, at) => {
        const id = (reply as { id?: number }).id;
        if (id === undefined || !Number.isInteger(id) || id < 0 || id >= sent || answered[id]) {
          spec.errors.add("bad_reply", `reply to unknown or already answered id ${id}`);
          return;
        }
        answered[id] = 1;
        latency.record(msToNs(at - intended[id]));
        completed++;
        lastProgress = at;
        lastReplyMs = performance.timeOrigin + at;
        if (completed === spec.total) finish();
      };
    }

    const ticker = setInterval(() => {
      const t = now();
      if (spec.signal?.aborted) return finish();
      while (sent < spec.total && t0 + sent * interval <= t) {
        const id = sent++;
        intended[id] = t0 + id * interval;
        maxSendLagMs = Math.max(maxSendLagMs, t - intended[id]);
        const conn = connections[id % connections.length];
        if (conn.open) conn.socket.send(spec.request(conn, id));
        lastProgress = Math.max(lastProgress, t);
      }
      if (sent === spec.total && t - lastProgress > spec.stallMs) finish();
    }, TICK_MS);
    if (spec.total === 0 || connections.length === 0) finish();
  });
}
