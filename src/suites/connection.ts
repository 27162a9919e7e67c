/**
 * Connection suite. Wire: opens every connection of the level (a bounded
 * number of handshakes in flight), times each handshake, holds them all open
 * to read memory per connection on both sides, then closes them. Engine: the
 * hub registering and unregistering a connection with the level's
 * connections already registered.
 */
import { createCountingPeer, createHub } from "../hub/mod.ts";
import { sleep } from "../load/clock.ts";
import { openSuitePool } from "./_connections.ts";
import { timeEngine } from "./engine.ts";
import type { Suite, SuiteContext } from "./suite.ts";

/** lets the server's event loop catch up with the last opens before it reports */
const SETTLE_MS = 100;
/** below this, page granularity and a single GC swamp an RSS delta per connection */
const MEMORY_MIN_CONNECTIONS = 100;

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, record, runtime } = ctx;
  const serverBefore = await ctx.serverStats();
  const clientBefore = runtime.memory();
  const pool = await openSuitePool(ctx, level.connections);
  try {
    const opened = pool.connections.length;
    record.metric("wire", "handshakes_per_s", (opened / pool.durationMs) * 1000);
    record.latency("handshake", pool.handshakes);
    record.metric("wire", "peak_sockets", pool.peakOpen);
    record.metric("wire", "failures", level.connections - opened);
    await sleep(SETTLE_MS);
    const clientAfter = runtime.memory();
    const serverAfter = await ctx.serverStats();
    if (serverAfter) record.metric("wire", "server_connections", serverAfter.connections);
    else record.note("the server did not answer `stats`: its connection count and memory are unknown");
    if (opened < MEMORY_MIN_CONNECTIONS) {
      record.note(`memory per connection is measured from ${MEMORY_MIN_CONNECTIONS} connections up; this level opened ${opened}`);
    } else {
      record.metric("wire", "client_bytes_per_conn", (clientAfter.rssBytes - clientBefore.rssBytes) / opened);
      if (serverBefore && serverAfter) record.metric("wire", "server_bytes_per_conn", (serverAfter.rssBytes - serverBefore.rssBytes) / opened);
    }
  } finally {
    await pool.close(ctx.plan.timeoutMs);
  }
}

async function engine(ctx: SuiteContext): Promise<void> {
  const hub = createHub();
  for (let i = 0; i < ctx.level.connections; i++) hub.open(createCountingPeer());
  const peer = createCountingPeer();
  const timing = await timeEngine(() => {
    hub.open(peer);
    hub.close(peer);
  });
  ctx.record.metric("engine", "register_ops_per_s", timing.opsPerSec);
}

export const connectionSuite: Suite = {
  name: "connection",
  description: "handshakes/s, handshake latency, peak sockets, failures, memory per connection; hub register/unregister ops/s",
  wire,
  engine,
};
