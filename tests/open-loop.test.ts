/**
 * Coordinated omission: when the server stalls, an open-loop generator keeps
 * sending on schedule and times every message from its intended send time,
 * so the stall shows in the percentiles; a closed loop sees one slow reply
 * per connection and hides the rest.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { WebSocketServer } from "ws";
import type { AddressInfo } from "node:net";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { runClosedLoop } from "../src/load/closed-loop.ts";
import { ErrorTally } from "../src/load/error-tally.ts";
import { runOpenLoop } from "../src/load/open-loop.ts";
import { openPool } from "../src/load/pool.ts";
import type { Runtime } from "../src/model/runtime-contract.ts";

const STALL_MS = 600;
const CONNECTIONS = 4;
const frame = (id: number): string => `{"op":"echo","id":${id},"p":"x"}`;

/** An echo server that, at its `at`-th frame, holds everything for `ms`, then answers it all. */
function stallingEcho(): Promise<{ url: string; stallAt(at: number, ms: number): void; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  let stalledUntil = 0;
  let frames = 0;
  let stall = { at: Infinity, ms: 0 };
  wss.on("connection", (ws) => {
    ws.on("message", (data) => {
      const text = data.toString();
      if (++frames === stall.at) stalledUntil = Date.now() + stall.ms;
      const wait = stalledUntil - Date.now();
      if (wait > 0) setTimeout(() => ws.send(text), wait);
      else ws.send(text);
    });
  });
  return new Promise((resolve) =>
    wss.on("listening", () =>
      resolve({
        url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
        stallAt(at, ms) {
          frames = 0;
          stall = { at, ms };
        },
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close(() => done());
          }),
      }))
  );
}

/** This runtime and a stalling echo server for the describe it is called in, closed after it. */
function useStallingEcho(): { runtime: Runtime; server: Awaited<ReturnType<typeof stallingEcho>> } {
  const used = {} as ReturnType<typeof useStallingEcho>;
  before(async () => {
    used.runtime = await currentRuntime();
    used.server = await stallingEcho();
  });
  after(() => used.server.close());
  return used;
}

describe("open loop against a server that stalls", () => {
  const used = useStallingEcho();

  const measure = async (open: boolean) => {
    const { runtime, server } = used;
    const errors = new ErrorTally();
    const pool = await openPool(runtime, server.url, CONNECTIONS, { concurrency: CONNECTIONS, timeoutMs: 5_000, errors });
    server.stallAt(500, STALL_MS);
    const outcome = open
      ? await runOpenLoop(pool.connections, { total: 1_500, rate: 1_000, stallMs: 5_000, errors, request: (_c, id) => frame(id) })
      : await runClosedLoop(pool.connections, {
        perConnection: 375,
        window: 1,
        stallMs: 5_000,
        errors,
        request: (_c, step) => frame(step),
      });
    await pool.close(5_000);
    assert.deepEqual(errors.list(), []);
    return outcome;
  };

  it("times every message from its intended send time, so the stall reaches the percentiles", async () => {
    const outcome = await measure(true);
    assert.equal(outcome.completed, 1_500);
    // ~600 of 1,500 messages were due during the stall; the p75 must carry a large part of it
    assert.ok(outcome.latency.percentile(75) / 1e6 > STALL_MS / 4, `p75 ${outcome.latency.percentile(75) / 1e6} ms`);
  });

  it("a closed loop sees the stall once per connection and its percentiles hide it", async () => {
    const outcome = await measure(false);
    assert.equal(outcome.completed, 1_500);
    assert.ok(outcome.latency.max / 1e6 > STALL_MS / 2, "the stall itself was seen");
    assert.ok(outcome.latency.percentile(75) / 1e6 < STALL_MS / 4, `p75 ${outcome.latency.percentile(75) / 1e6} ms`);
  });
});

describe("closed loop whose first windows take longer to send than the stall bound", () => {
  const used = useStallingEcho();

  it("counts the stall from the last first send, not from the start, so no request times out", async () => {
    const { runtime, server } = used;
    const stallMs = 1_000;
    const errors = new ErrorTally();
    const pool = await openPool(runtime, server.url, CONNECTIONS, { concurrency: CONNECTIONS, timeoutMs: 5_000, errors });
    // as 99,000 connections × 16 frames do on a slow kernel: the first sends hold the event loop past stallMs
    for (const conn of pool.connections) {
      const send = conn.socket.send.bind(conn.socket);
      let first = true;
      conn.socket.send = (data: string) => {
        if (first) {
          first = false;
          const until = performance.now() + (stallMs * 1.5) / CONNECTIONS;
          while (performance.now() < until);
        }
        send(data);
      };
    }
    const outcome = await runClosedLoop(pool.connections, {
      perConnection: 20,
      window: 4,
      stallMs,
      errors,
      request: (_c, step) => frame(step),
    });
    await pool.close(5_000);
    assert.deepEqual(errors.list(), []);
    assert.equal(outcome.completed, CONNECTIONS * 20);
  });
});
