/**
 * Connection suite. Wire: opens every connection of the level (a bounded
 * number of handshakes in flight per process), times each handshake and,
 * apart, each protocol setup after it (a login, a namespace connect), holds
 * them all open at once, reads memory per connection on both sides and the
 * count the servers see, then closes them. Engine: the hub registering and
 * unregistering a connection with the level's connections already registered.
 */
import { createCountingPeer, createHub } from "../hub/mod.ts";
import { sleep } from "../load/clock.ts";
import { checkServerGone, openSharePool } from "./_connections.ts";
import { timeEngine } from "./engine-timing.ts";
import type { ServerFigures, Suite, SuiteContext } from "./suite.ts";
import type { SuiteRecorder } from "./suite-recorder.ts";
import { headlineRate, higher, latencies, lower, metric, type MetricDeclarations, mustBeZero, plain } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.register_ops_per_s": headlineRate("register/unregister", "ops/s", higher(500_000, 100_000)),
  "wire.handshakes_per_s": headlineRate("handshakes", "handshakes/s", higher(5_000, 1_000)),
  ...latencies("handshake", "handshake", lower(50, 200)),
  // the profile's setup after the upgrade (a login, a namespace connect), timed apart so the handshake stays the upgrade alone
  ...latencies("setup", "setup", lower(50, 200)),
  "wire.failures": mustBeZero("failures"),
  "wire.peak_sockets": plain("peak live sockets", "sockets"),
  "wire.client_bytes_per_conn": metric("client memory per connection", "B", "lower"),
  "wire.server_bytes_per_conn": metric("server memory per connection", "B", "lower"),
  "wire.server_connections": plain("connections the server counted", "connections"),
} satisfies MetricDeclarations;

/** lets the server's event loop catch up with the last opens before it reports */
const SETTLE_MS = 100;
/** below this, page granularity and a single GC swamp an RSS delta per connection */
const MEMORY_MIN_CONNECTIONS = 100;

async function wire(ctx: SuiteContext): Promise<void> {
  const { share, record, runtime } = ctx;
  const clientBefore = runtime.memory();
  const pool = await openSharePool(ctx);
  try {
    const opened = pool.connections.length;
    record.answered(opened, share.count);
    record.rate("wire", "handshakes_per_s", opened, pool.startedMs, pool.endedMs);
    record.latency("handshake", pool.handshakes);
    if (ctx.profile.setup) {
      record.latency("setup", pool.setups);
      const apart = "is timed apart (setup p50…max)";
      record.note(`handshake latency is the WebSocket upgrade alone; the ${ctx.profile.name} profile's setup after it ${apart}`);
    }
    record.count("wire", "peak_sockets", pool.peakOpen);
    // connections the user's stop kept from being tried did not fail
    if (!ctx.signal.aborted) record.count("wire", "failures", share.count - opened);
    await sleep(SETTLE_MS);
    const clientAfter = runtime.memory();
    if (opened >= MEMORY_MIN_CONNECTIONS) {
      record.ratio("wire", "client_bytes_per_conn", clientAfter.rssBytes - clientBefore.rssBytes, opened);
    } else {record.note(
        `client memory per connection is measured from ${MEMORY_MIN_CONNECTIONS} connections up; this process opened ${opened}`,
      );}
    await ctx.peak();
    checkServerGone(ctx, pool);
  } finally {
    await pool.close(ctx.plan.timeoutMs);
  }
}

/** While every share holds its sockets: what the servers count, and what each connection costs them. */
function atPeak(record: SuiteRecorder, { before, after }: ServerFigures): void {
  if (!after) {
    return record.note(
      "the server's own figures are unknown (it does not answer the reference `stats` request): its connection count and memory are not reported",
    );
  }
  record.count("wire", "server_connections", after.connections);
  const added = after.connections - (before?.connections ?? 0);
  if (before && added >= MEMORY_MIN_CONNECTIONS) record.ratio("wire", "server_bytes_per_conn", after.rssBytes - before.rssBytes, added);
}

async function engine(ctx: SuiteContext): Promise<void> {
  const hub = createHub();
  for (let i = 0; i < ctx.level.connections; i++) hub.open(createCountingPeer());
  const peer = createCountingPeer();
  const timing = await timeEngine(() => {
    hub.open(peer);
    hub.close(peer);
  });
  ctx.record.value("engine", "register_ops_per_s", timing.opsPerSec);
}

export const connectionSuite: Suite = {
  name: "connection",
  description: "handshakes/s, handshake latency, peak sockets, failures, memory per connection; hub register/unregister ops/s",
  answered: "connections opened",
  shardable: true,
  wire,
  atPeak,
  engine,
  metrics,
};
