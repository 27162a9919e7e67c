/**
 * Subscription suite. Wire: capacity, then latency at load
 * (`_load-phases.ts`). Every connection of the level subscribes to a channel
 * and unsubscribes again, `messagesPerConnection / 10` times, closed loop
 * with `plan.window` requests in flight (capacity, and the queue it builds);
 * then the same requests paced at half that capacity for a bounded time, each
 * timed from its own intended send time to its ack (the latency judged).
 * Engine: the channel table's subscribe and unsubscribe with the level's
 * connections already subscribed.
 */
import { createCountingPeer, createMemoryFanout } from "../hub/mod.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { Ack, Reply } from "../protocol/messages.ts";
import { missing } from "../profiles/profile.ts";
import { openSharePool, withPool } from "./_connections.ts";
import { capacityOf, inPhase, pacedPhase, pacedPlan } from "./_load-phases.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import { headlineRate, higher, latencies, loadSplit, lower, type MetricDeclarations, mustBeZero, queueing } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.ops_per_s": headlineRate("channel table", "ops/s"),
  "wire.acks_per_s": headlineRate("acks (capacity)", "acks/s", higher(20_000, 5_000)),
  ...queueing("queued_ack", "closed-loop ack (queueing)"),
  ...latencies("ack", "ack at load", lower(10, 50)),
  ...loadSplit("acks/s"),
  "wire.errors": mustBeZero("errors"),
} satisfies MetricDeclarations;

const CHANNELS = 64;
const channelOf = (connIndex: number, step: number): string => `public.sub${(connIndex + (step >> 1)) % CHANNELS}`;

/** even steps subscribe, odd steps unsubscribe from the channel the step before joined; `id` is the protocol id (undefined: sent later) */
const frameFor = (conn: LoadConnection, step: number, id = step): Frame | undefined =>
  step & 1 ? conn.session.unsubscribe!(id, channelOf(conn.index, step)) : conn.session.subscribe!(id, channelOf(conn.index, step));

function checkAck(ctx: SuiteContext, step: number, reply: Reply): void {
  if (reply.op !== "ack" || !(reply as Ack).ok) {
    ctx.record.errors.add("refused", `${step & 1 ? "unsubscribe" : "subscribe"} not acknowledged: ${JSON.stringify(reply).slice(0, 120)}`);
  }
}

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, plan, record } = ctx;
  const rounds = Math.max(1, Math.ceil(level.messagesPerConnection / 10));
  await withPool(ctx, openSharePool(ctx), async (pool) => {
    const outcome = await inPhase(ctx, "capacity", () =>
      runClosedLoop(pool.connections, {
        perConnection: rounds * 2,
        // a subscribe and its unsubscribe stay in order on one connection (frames of a
        // socket arrive in order), so a window only pipelines them, as a client joining
        // many channels at once does
        window: plan.window,
        stallMs: plan.timeoutMs,
        signal: ctx.signal,
        errors: record.errors,
        watch: record.live.answered(ctx.share.count * rounds * 2),
        request: (conn, step) => frameFor(conn, step),
        reply: (_conn, step, reply) => checkAck(ctx, step, reply),
      }));
    record.answered(outcome.completed, ctx.share.count * rounds * 2);
    record.rate("wire", "acks_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
    record.latency("queued_ack", outcome.latency);
    const capacity = await capacityOf(ctx, outcome, pool.connections.length, Math.min(plan.window, rounds * 2));
    const paced = pacedPlan(ctx, capacity, level.connections);
    // request `id` is step id ÷ n of connection id mod n: each connection alternates subscribe and unsubscribe
    const n = pool.connections.length;
    if (paced) {
      await pacedPhase(ctx, pool.connections, paced, {
        key: "ack",
        what: "subscribe/unsubscribe requests",
        request: (conn, id) => frameFor(conn, Math.floor(id / n), id),
        reply: (_conn, id, reply) => checkAck(ctx, Math.floor(id / n), reply),
      });
    }
    record.count("wire", "errors", record.errors.count());
  });
}

async function engine(ctx: SuiteContext): Promise<void> {
  const fanout = createMemoryFanout();
  for (let i = 0; i < ctx.level.connections; i++) fanout.subscribe(createCountingPeer(), `public.sub${i % CHANNELS}`);
  const peer = createCountingPeer();
  const timing = await timeEngine(() => {
    fanout.subscribe(peer, "public.sub1");
    fanout.unsubscribe(peer, "public.sub1");
  }, 2);
  ctx.record.value("engine", "ops_per_s", timing.opsPerSec);
}

export const subscriptionSuite: Suite = {
  name: "subscription",
  shardable: true,
  unsupported: (profile) => missing(profile, ["subscribe", "unsubscribe", "acks"]),
  description: "capacity in subscribe/unsubscribe acks/s (closed loop), ack latency at a paced load; channel table ops/s",
  answered: "subscribe/unsubscribe requests answered",
  split: { capacity: "acks_per_s", queued: "queued_ack", paced: ["ack"] },
  wire,
  engine,
  metrics,
};
