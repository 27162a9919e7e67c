/**
 * Message suite. Wire: echo round trips over every connection of the level,
 * closed loop with `plan.window` in flight per connection, each timed from
 * send to reply. Engine: the hub parsing, validating and routing one echo.
 */
import { createCountingPeer, createHub } from "../hub/mod.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import { starved, withPool } from "./_connections.ts";
import { timeEngine } from "./engine.ts";
import type { Suite, SuiteContext } from "./suite.ts";

/** 64 characters: a typical small chat or ticker frame */
const PAYLOAD = "wsstress-".repeat(7) + "payload";

const echoFrame = (id: number): string => `{"op":"echo","id":${id},"p":"${PAYLOAD}"}`;

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, plan, record } = ctx;
  await withPool(ctx, level.connections, async (pool) => {
    const outcome = await runClosedLoop(pool.connections, {
      perConnection: level.messagesPerConnection,
      window: plan.window,
      stallMs: plan.timeoutMs,
      signal: ctx.signal,
      errors: record.errors,
      request: (_conn, step) => echoFrame(step),
      reply(_conn, _step, reply) {
        if (reply.op !== "echo") record.errors.add("bad_reply", `expected an echo, got ${JSON.stringify(reply).slice(0, 120)}`);
      },
    });
    record.metric("wire", "round_trips_per_s", (outcome.completed / outcome.durationMs) * 1000);
    record.latency("rtt", outcome.latency);
    record.metric("wire", "errors", record.errors.count());
    record.metric("wire", "starved_connections", starved(outcome.perConnection) + (level.connections - pool.connections.length));
  });
}

async function engine(ctx: SuiteContext): Promise<void> {
  const hub = createHub();
  const peer = createCountingPeer();
  hub.open(peer);
  const frame = echoFrame(1);
  const timing = await timeEngine(() => hub.message(peer, frame), 1, true);
  if (peer.received === 0) throw new Error("engine: the hub answered no echo");
  ctx.record.metric("engine", "ops_per_s", timing.opsPerSec);
  ctx.record.metric("engine", "p95_us", timing.p95Ns! / 1e3);
}

export const messageSuite: Suite = {
  name: "message",
  description: "echo round trips/s and RTT percentiles over every connection; hub parse+validate+route ops/s",
  wire,
  engine,
};
