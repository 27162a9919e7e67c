/**
 * Message suite. Wire: echo round trips over every connection of the level,
 * closed loop with `plan.window` in flight per connection, each timed from
 * send to reply. Engine: the hub parsing, validating and routing one echo.
 */
import { createCountingPeer, createHub } from "../hub/mod.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import { runOpenLoop } from "../load/open-loop.ts";
import type { Pool } from "../load/pool.ts";
import { missing } from "../profiles/profile.ts";
import { wsstressSession } from "../profiles/wsstress.ts";
import { openSharePool, starved, withPool } from "./_connections.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import { headlineRate, higher, latencies, lower, metric, type MetricDeclarations, mustBeZero, plain } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.ops_per_s": headlineRate("parse + validate + route", "ops/s", higher(100_000, 50_000)),
  "engine.p95_us": metric("route p95", "µs", "lower", lower(20, 50), "headline"),
  "wire.round_trips_per_s": headlineRate("round trips", "round trips/s", higher(40_000, 15_000)),
  ...latencies("rtt", "RTT", lower(10, 50)),
  "wire.errors": mustBeZero("errors"),
  // a connection that got no reply at all: good totals must not hide it
  "wire.starved_connections": mustBeZero("starved connections"),
  // fairness: round trips each connection completed; a spread (cv) above zero means some were served less
  "wire.round_trips_per_conn_min": metric("round trips per connection, min", "round trips", "higher"),
  "wire.round_trips_per_conn_max": plain("round trips per connection, max", "round trips"),
  "wire.round_trips_per_conn_cv_pct": metric("round trips per connection, spread (cv)", "%", "lower"),
  // open loop only: how far behind its schedule the generator sent at worst
  "wire.send_lag_ms": metric("generator behind schedule, max", "ms", "lower"),
} satisfies MetricDeclarations;

/** 64 characters: a typical small chat or ticker frame */
const PAYLOAD = "wsstress-".repeat(7) + "payload";

async function wire(ctx: SuiteContext): Promise<void> {
  await withPool(ctx, openSharePool(ctx), (pool) => (ctx.plan.rate ? openLoop(ctx, pool) : closedLoop(ctx, pool)));
}

async function closedLoop(ctx: SuiteContext, pool: Pool): Promise<void> {
  const { level, plan, record } = ctx;
  const outcome = await runClosedLoop(pool.connections, {
    perConnection: level.messagesPerConnection,
    window: plan.window,
    stallMs: plan.timeoutMs,
    signal: ctx.signal,
    errors: record.errors,
    watch: record.live.answered(ctx.share.count * level.messagesPerConnection),
    request: (conn, step) => conn.session.echo!(step, PAYLOAD),
    reply(_conn, _step, reply) {
      if (reply.op !== "echo") record.errors.add("bad_reply", `expected an echo, got ${JSON.stringify(reply).slice(0, 120)}`);
    },
  });
  record.answered(outcome.completed, ctx.share.count * level.messagesPerConnection);
  record.rate("wire", "round_trips_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
  record.latency("rtt", outcome.latency);
  record.count("wire", "errors", record.errors.count());
  const unopened = ctx.share.count - pool.connections.length;
  // a connection the user's stop cut short was not starved by the server
  if (!ctx.signal.aborted) record.count("wire", "starved_connections", starved(outcome.perConnection) + unopened);
  // connections that never opened completed nothing: they belong in the spread too
  record.spread(
    "wire",
    "round_trips_per_conn",
    unopened > 0 ? [...outcome.perConnection, ...new Array<number>(unopened).fill(0)] : outcome.perConnection,
  );
}

/** This share's part of the plan's overall rate, on a fixed schedule; latency from each message's intended send time. */
async function openLoop(ctx: SuiteContext, pool: Pool): Promise<void> {
  const { level, plan, record, share } = ctx;
  const rate = (plan.rate! * share.count) / level.connections;
  const outcome = await runOpenLoop(pool.connections, {
    total: pool.connections.length * level.messagesPerConnection,
    rate,
    stallMs: plan.timeoutMs,
    signal: ctx.signal,
    errors: record.errors,
    watch: record.live.answered(share.count * level.messagesPerConnection),
    request: (conn, id) => conn.session.echo!(id, PAYLOAD),
  });
  record.note(`open loop at ${plan.rate} messages/s over all connections, each timed from its intended send time`);
  record.answered(outcome.completed, share.count * level.messagesPerConnection);
  record.rate("wire", "round_trips_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
  record.latency("rtt", outcome.latency);
  record.count("wire", "errors", record.errors.count());
  record.max("wire", "send_lag_ms", outcome.maxSendLagMs);
}

async function engine(ctx: SuiteContext): Promise<void> {
  const hub = createHub();
  const peer = createCountingPeer();
  hub.open(peer);
  const frame = wsstressSession.echo!(1, PAYLOAD) as string;
  const timing = await timeEngine(() => hub.message(peer, frame), 1, true);
  if (peer.received === 0) throw new Error("engine: the hub answered no echo");
  ctx.record.value("engine", "ops_per_s", timing.opsPerSec);
  ctx.record.value("engine", "p95_us", timing.p95Ns! / 1e3);
}

export const messageSuite: Suite = {
  name: "message",
  shardable: true,
  unsupported: (profile) => missing(profile, ["echo"]),
  description: "echo round trips/s and RTT percentiles over every connection; hub parse+validate+route ops/s",
  answered: "round trips answered",
  wire,
  engine,
  metrics,
};
