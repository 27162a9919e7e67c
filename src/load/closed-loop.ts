/**
 * The closed-loop driver: every connection makes `perConnection` requests,
 * keeping at most `window` of them in flight, and times each one from its send
 * to its reply. Used by every request/reply suite (echo, subscribe, RBAC).
 *
 * It is bounded twice: it stops when no reply has arrived for `stallMs` after
 * the first windows went out (the requests still out are counted as
 * `timeout`), and at the caller's signal.
 */
import { Histogram } from "../model/histogram.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { Reply } from "../protocol/messages.ts";
import { epochMs, msToNs, now } from "./clock.ts";
import type { ErrorTally } from "./error-tally.ts";
import type { LoadConnection } from "./pool.ts";

/**
 * Requests in flight per connection when the caller names no window: enough that each read and write carries
 * several frames, so a capacity phase measures the server rather than the cost of one system call per round trip
 * (docs/scale-and-shards.md, "How long the full sweep takes": at window 1 no client here went much past 45,000 round trips/s).
 */
export const CAPACITY_WINDOW = 16;

export type ClosedLoopSpec = {
  perConnection: number;
  window: number;
  stallMs: number;
  signal?: AbortSignal;
  errors: ErrorTally;
  /** the frame for request `step` of a connection; `step` is also its protocol id; undefined: the session sends it later itself */
  request(conn: LoadConnection, step: number): Frame | undefined;
  /** judges a reply (and counts any error it finds in it) */
  reply?(conn: LoadConnection, step: number, reply: Reply, latencyNs: number): void;
  /** latency histogram to record into; one is created when absent */
  latency?: Histogram;
  /** called once at the start with the reader of the requests answered so far and the running histogram (for progress) */
  watch?: (completed: () => number, latency: Histogram) => void;
};

export type ClosedLoopOutcome = {
  latency: Histogram;
  completed: number;
  /** requests never answered */
  unanswered: number;
  /**
   * first send to where the loop ended: its last reply, or the stall (a rate over it counts the wait for
   * what never came); at a user's stop, the last reply (what was in flight then had no chance); wall clock, epoch ms
   */
  startedMs: number;
  endedMs: number;
  /** replies completed per connection, for fairness */
  perConnection: Uint32Array;
};

export function runClosedLoop(connections: LoadConnection[], spec: ClosedLoopSpec): Promise<ClosedLoopOutcome> {
  const latency = spec.latency ?? new Histogram();
  const perConnection = new Uint32Array(connections.length);
  const expected = connections.length * spec.perConnection;
  let completed = 0;
  /** requests a closed connection will never answer: counted at once, not waited for */
  let lost = 0;
  let lastProgress = now();
  const startedMs = epochMs();
  let lastReplyMs = startedMs;
  spec.watch?.(() => completed, latency);

  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearInterval(watchdog);
      for (const c of connections) {
        c.onReply = () => {};
        c.onGone = () => {};
      }
      if (lost > 0) spec.errors.add("lost_request", `${lost} requests on connections that closed before answering them`, lost);
      const unanswered = expected - completed - lost;
      if (unanswered > 0) {
        const why = spec.signal?.aborted ? "aborted" : `no reply for ${spec.stallMs} ms`;
        spec.errors.add(spec.signal?.aborted ? "aborted" : "timeout", `${unanswered} requests unanswered (${why})`, unanswered);
      }
      const endedMs = spec.signal?.aborted ? lastReplyMs : epochMs();
      resolve({ latency, completed, unanswered: expected - completed, startedMs, endedMs, perConnection });
    };
    const watchdog = setInterval(() => {
      if (spec.signal?.aborted || now() - lastProgress > spec.stallMs) finish();
    }, Math.min(250, spec.stallMs));

    connections.forEach((conn, slot) => {
      if (!conn.open) {
        lost += spec.perConnection;
        return;
      }
      const sentAt = new Float64Array(spec.perConnection);
      const answered = new Uint8Array(spec.perConnection);
      let sent = 0;
      const send = (): void => {
        if (!conn.open) return;
        const step = sent++;
        sentAt[step] = now();
        const frame = spec.request(conn, step);
        if (frame !== undefined) conn.socket.send(frame);
      };
      conn.onReply = (reply, at) => {
        const id = (reply as { id?: number }).id;
        if (id === undefined || !Number.isInteger(id) || id < 0 || id >= sent || answered[id]) {
          spec.errors.add(
            id === undefined ? "unsolicited" : "bad_reply",
            id === undefined ? `unexpected ${reply.op} frame` : `reply to unknown or already answered id ${id}`,
          );
          return;
        }
        answered[id] = 1;
        const ns = msToNs(at - sentAt[id]);
        latency.record(ns);
        spec.reply?.(conn, id, reply, ns);
        perConnection[slot]++;
        completed++;
        lastProgress = at;
        lastReplyMs = performance.timeOrigin + at;
        if (sent < spec.perConnection) send();
        else if (completed + lost === expected) finish();
      };
      conn.onGone = () => {
        lost += spec.perConnection - perConnection[slot];
        if (completed + lost === expected) finish();
      };
      for (let i = 0; i < Math.min(spec.window, spec.perConnection); i++) send();
    });
    // the first windows of 99,000 connections take seconds to send, and the overdue
    // watchdog runs before any reply is read: the stall is counted from the last of them
    lastProgress = now();
    if (completed + lost === expected) finish();
  });
}
