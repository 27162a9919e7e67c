/**
 * Subscription suite. Wire: every connection of the level subscribes to a
 * channel and unsubscribes again, `messagesPerConnection / 10` times, each
 * request timed to its ack, `plan.window` of them in flight. Engine: the
 * channel table's subscribe and unsubscribe with the level's connections
 * already subscribed.
 */
import { createCountingPeer, createMemoryFanout } from "../hub/mod.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { Ack } from "../protocol/messages.ts";
import { missing } from "../profiles/profile.ts";
import { openSharePool, withPool } from "./_connections.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import { headlineRate, higher, latencies, lower, type MetricDeclarations, mustBeZero } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.ops_per_s": headlineRate("channel table", "ops/s"),
  "wire.acks_per_s": headlineRate("acks", "acks/s", higher(20_000, 5_000)),
  ...latencies("ack", "ack", lower(10, 50)),
  "wire.errors": mustBeZero("errors"),
} satisfies MetricDeclarations;

const CHANNELS = 64;
const channelOf = (connIndex: number, step: number): string => `public.sub${(connIndex + (step >> 1)) % CHANNELS}`;

/** even steps subscribe, odd steps unsubscribe from the channel the step before joined */
const frameFor = (conn: LoadConnection, step: number): Frame =>
  step & 1 ? conn.session.unsubscribe!(step, channelOf(conn.index, step)) : conn.session.subscribe!(step, channelOf(conn.index, step));

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, plan, record } = ctx;
  const rounds = Math.max(1, Math.ceil(level.messagesPerConnection / 10));
  await withPool(ctx, openSharePool(ctx), async (pool) => {
    const outcome = await runClosedLoop(pool.connections, {
      perConnection: rounds * 2,
      // a subscribe and its unsubscribe stay in order on one connection (frames of a
      // socket arrive in order), so a window only pipelines them, as a client joining
      // many channels at once does
      window: plan.window,
      stallMs: plan.timeoutMs,
      signal: ctx.signal,
      errors: record.errors,
      watch: record.live.answered(ctx.share.count * rounds * 2),
      request: frameFor,
      reply(_conn, step, reply) {
        if (reply.op !== "ack" || !(reply as Ack).ok) {
          record.errors.add(
            "refused",
            `${step & 1 ? "unsubscribe" : "subscribe"} not acknowledged: ${JSON.stringify(reply).slice(0, 120)}`,
          );
        }
      },
    });
    record.answered(outcome.completed, ctx.share.count * rounds * 2);
    record.rate("wire", "acks_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
    record.latency("ack", outcome.latency);
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
  description: "subscribe/unsubscribe acks/s and ack latency over every connection; channel table ops/s",
  answered: "subscribe/unsubscribe requests answered",
  wire,
  engine,
  metrics,
};
