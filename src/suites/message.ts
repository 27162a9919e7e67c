/**
 * Message suite. Wire: capacity, then latency at load (`_load-phases.ts`).
 * Capacity: echo round trips over every connection of the level, closed
 * loop with `plan.window` in flight per connection, each timed from send to
 * reply (the queue the loop builds). Latency at load: echoes paced at half
 * that capacity (or `plan.rate`) for a bounded time, each timed from its own
 * intended send time; that RTT is the one judged. Engine: the hub parsing,
 * validating and routing one echo.
 */
import { createCountingPeer, createHub } from "../hub/mod.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import type { Pool } from "../load/pool.ts";
import type { Reply } from "../protocol/messages.ts";
import { missing } from "../profiles/profile.ts";
import { wsstressSession } from "../profiles/wsstress.ts";
import { openSharePool, starved, withPool } from "./_connections.ts";
import { capacityOf, inPhase, pacedAhead, pacedPhase, pacedPlan } from "./_load-phases.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import {
  headlineRate,
  higher,
  latencies,
  loadSplit,
  lower,
  metric,
  type MetricDeclarations,
  mustBeZero,
  plain,
  queueing,
} from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.ops_per_s": headlineRate("parse + validate + route", "ops/s", higher(100_000, 50_000)),
  "engine.p95_us": metric("route p95", "µs", "lower", lower(20, 50), "headline"),
  "wire.round_trips_per_s": headlineRate("round trips (capacity)", "round trips/s", higher(40_000, 15_000)),
  ...queueing("queued_rtt", "closed-loop RTT (queueing)"),
  ...latencies("rtt", "RTT at load", lower(10, 50)),
  ...loadSplit("round trips/s"),
  "wire.errors": mustBeZero("errors"),
  // a connection that got no reply at all: good totals must not hide it
  "wire.starved_connections": mustBeZero("starved connections"),
  // fairness: round trips each connection completed; a spread (cv) above zero means some were served less
  "wire.round_trips_per_conn_min": metric("round trips per connection, min", "round trips", "higher"),
  "wire.round_trips_per_conn_max": plain("round trips per connection, max", "round trips"),
  "wire.round_trips_per_conn_cv_pct": metric("round trips per connection, spread (cv)", "%", "lower"),
} satisfies MetricDeclarations;

/** 64 characters: a typical small chat or ticker frame */
const PAYLOAD = "wsstress-".repeat(7) + "payload";

async function wire(ctx: SuiteContext): Promise<void> {
  await withPool(ctx, openSharePool(ctx), async (pool) => {
    const capacity = await closedLoop(ctx, pool);
    const plan = pacedPlan(ctx, capacity, ctx.level.connections, ctx.plan.rate);
    if (plan) {
      await pacedPhase(ctx, pool.connections, plan, {
        key: "rtt",
        what: "echoes",
        request: (conn, id) => conn.session.echo!(id, PAYLOAD),
        reply: (_conn, _id, reply) => checkEcho(ctx, reply),
      });
    }
    ctx.record.count("wire", "errors", ctx.record.errors.count());
  });
}

const checkEcho = (ctx: SuiteContext, reply: Reply): void => {
  if (reply.op !== "echo") ctx.record.errors.add("bad_reply", `expected an echo, got ${JSON.stringify(reply).slice(0, 120)}`);
};

/** The capacity phase: every connection's echoes, `window` in flight each; resolves the level's round trips/s. */
async function closedLoop(ctx: SuiteContext, pool: Pool): Promise<number> {
  const { level, plan, record } = ctx;
  const outcome = await inPhase(ctx, "capacity", () =>
    runClosedLoop(pool.connections, {
      perConnection: level.messagesPerConnection,
      window: plan.window,
      stallMs: plan.timeoutMs,
      signal: ctx.signal,
      errors: record.errors,
      watch: record.live.answered(ctx.share.count * level.messagesPerConnection + pacedAhead(ctx, level.connections, plan.rate)),
      request: (conn, step) => conn.session.echo!(step, PAYLOAD),
      reply: (_conn, _step, reply) => checkEcho(ctx, reply),
    }));
  record.answered(outcome.completed, ctx.share.count * level.messagesPerConnection);
  record.rate("wire", "round_trips_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
  record.latency("queued_rtt", outcome.latency);
  const unopened = ctx.share.count - pool.connections.length;
  // a connection the user's stop cut short was not starved by the server
  if (!ctx.signal.aborted) record.count("wire", "starved_connections", starved(outcome.perConnection) + unopened);
  // connections that never opened completed nothing: they belong in the spread too
  record.spread(
    "wire",
    "round_trips_per_conn",
    unopened > 0 ? [...outcome.perConnection, ...new Array<number>(unopened).fill(0)] : outcome.perConnection,
  );
  return capacityOf(ctx, outcome, pool.connections.length, Math.min(plan.window, level.messagesPerConnection));
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
  description: "capacity in echo round trips/s (closed loop), RTT percentiles at a paced load; hub parse+validate+route ops/s",
  answered: "round trips answered",
  split: { capacity: "round_trips_per_s", queued: "queued_rtt", paced: ["rtt"] },
  wire,
  engine,
  metrics,
};
