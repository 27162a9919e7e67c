/**
 * Broadcast suite. Wire: the level's subscribers join one channel; a
 * publisher sends `operations / subscribers` messages to it, paced so that
 * deliveries still in flight stay bounded (an unpaced burst measures the
 * server's queue, not its fan-out). Every recipient checks every delivery
 * (`_broadcast-run.ts`): lost, duplicated, out-of-order and unexpected
 * messages are counted until the connections close, and each delivery is
 * timed from its publish stamp. With `plan.p99BoundMs`, a search over the
 * same subscribers then finds the highest delivery rate whose p99 holds that
 * bound (`_broadcast-knee.ts`). Engine: the hub fanning one publish out to
 * the level's subscribers.
 *
 * Sharded (`plan.shard`): each shard takes its slice of the subscribers on a
 * channel of its own, with a publisher of its own sending every publish. The
 * deliveries (publishes × subscribers), lost, duplicated and out-of-order
 * counts of the shards then add up to a single run's exactly; what differs is
 * that n publishers each fan out to a slice, so a merged run counts n times
 * the publishes (and publishes/s) of a single run.
 */
import { createCountingPeer, createHub } from "../hub/mod.ts";
import { tokenOf } from "../profiles/connection-settings.ts";
import { missing } from "../profiles/profile.ts";
import { sliceOf } from "../load/placement.ts";
import { openServerPool, withPool } from "./_connections.ts";
import { awaitReplies } from "./_await-replies.ts";
import { type Knee, MAX_STEPS, searchKnee, STEP_MS } from "./_broadcast-knee.ts";
import { BroadcastRun, publishesOf } from "./_broadcast-run.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import { headlineRate, higher, latencies, lower, metric, type MetricDeclarations, mustBeZero, plain } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.deliveries_per_s": headlineRate("fan-out deliveries", "deliveries/s", higher(100_000, 50_000)),
  "wire.deliveries_per_s": headlineRate("deliveries", "deliveries/s", higher(100_000, 20_000)),
  ...latencies("latency", "publish-to-receipt", lower(20, 100)),
  "wire.lost": mustBeZero("lost deliveries"),
  "wire.duplicated": mustBeZero("duplicated deliveries"),
  // second copies where the protocol allows them (at least once: MQTT's QoS 1); each delivery class is in the notes
  "wire.duplicated_legal": plain("duplicates at-least-once delivery allows", "deliveries"),
  "wire.out_of_order": mustBeZero("out-of-order deliveries"),
  // deliveries to a connection whose subscribe the server refused
  "wire.unexpected": mustBeZero("unexpected deliveries"),
  // how long the suite kept counting late deliveries after the last one it waited for, until its connections closed
  "wire.tail_ms": plain("late deliveries watched for", "ms"),
  // falls as subscribers grow by design, so it is a plain figure, not a throughput to degrade
  "wire.publishes_per_s": plain("publishes", "publishes/s"),
  "wire.subscribers": plain("subscribers", "subscribers"),
  // --p99-bound only: the highest delivery rate whose p99 held the bound, its p99, and the first rate that broke it
  "wire.knee_deliveries_per_s": metric("knee: deliveries at p99 within the bound", "deliveries/s", "higher"),
  "wire.knee_p99_ms": metric("knee: p99 at that rate", "ms", "lower"),
  "wire.knee_fail_deliveries_per_s": plain("knee: first rate over the bound", "deliveries/s"),
} satisfies MetricDeclarations;

const CHANNEL = "public.broadcast";
/** a shard's channel: shards sharing a server must not deliver to each other's subscribers */
const channelOf = (ctx: SuiteContext): string => (ctx.plan.shard ? `${CHANNEL}.shard${ctx.plan.shard.index}` : CHANNEL);
const PAYLOAD = "tick:" + "x".repeat(59);

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, record } = ctx;
  // split evenly over the profile's delivery classes (MQTT's QoS 0 and QoS 1), each reported apart
  const publishes = publishesOf(ctx, Math.max(1, Math.floor(level.operations / level.subscribers)));
  const mine = sliceOf(level.subscribers, ctx.plan.shard).count;
  if (mine === 0) return record.note("sharded run: no broadcast subscriber left for this shard");
  const channel = channelOf(ctx);
  let run: BroadcastRun | undefined;
  const { profile } = ctx;
  const canAuthenticate = profile.operations.includes("authenticate");
  const token = canAuthenticate ? tokenOf(profile, ctx.connection, "publisher") : undefined;
  if (canAuthenticate && token === undefined) {
    record.note("no publisher token was given (--token publisher=…): the publisher publishes without authenticating");
  }
  // one server for all: a channel's subscribers must share its channel table
  await withPool(
    ctx,
    openServerPool(ctx, mine, { tracked: true }),
    (subscribers) =>
      withPool(ctx, openServerPool(ctx, 1, { tokenOf: () => token }), async (publisher) => {
        const pub = publisher.connections[0];
        // with no subscriber open either, nothing was measured: the suite's own "could not measure" says so
        if (!pub && token !== undefined && subscribers.connections.length > 0) {
          return record.fail("the publisher could not open and authenticate as publisher");
        }
        if (!pub || subscribers.connections.length === 0) return;
        const subscribed = await awaitReplies(subscribers.connections, (c) => c.session.subscribe!(0, channel), ctx);
        if (subscribed.length === 0) return;
        run = new BroadcastRun({ ctx, opened: subscribers.connections, subscribed, publisher: pub, publishes, channel, payload: PAYLOAD });
        run.watch(record.live.answered(publishes * mine));
        const paced = await run.paced();
        const bound = ctx.plan.p99BoundMs;
        if (bound === undefined || !pub.open || ctx.signal.aborted) return;
        const late = run.receive.bind(run);
        const firstSeq = publishes;
        const spec = {
          ctx,
          subscribers: subscribed,
          publisher: pub,
          subscribed: subscribed.length,
          channel,
          payload: PAYLOAD,
          firstSeq,
          late,
        };
        recordKnee(ctx, await searchKnee(spec, bound, paced > 0 ? paced : 1_000 * subscribed.length));
        // the paced run's late deliveries count until the connections close
        run.listen();
      }),
  );
  // nobody to deliver to, or no one to publish: nothing of what the suite exists for was measured
  if (!run) return record.answered(0, publishes * mine);
  run.record(publishes * mine);
}

const perSec = (n: number): string => `${Math.round(n).toLocaleString("en-US")} deliveries/s`;

function recordKnee(ctx: SuiteContext, knee: Knee): void {
  const { record } = ctx;
  const tried = knee.steps.map((s) => `${Math.round(s.deliveriesPerSec).toLocaleString("en-US")}${s.passed ? " ✓" : " ✗"}`).join(", ");
  const lag = Math.max(0, ...knee.steps.map((s) => s.maxSendLagMs));
  const how = `${knee.steps.length} fixed-rate steps of ${STEP_MS / 1000} s (at most ${MAX_STEPS}): ${tried}; the publisher ran at most ${
    lag.toFixed(0)
  } ms behind its schedule`;
  if (knee.knee) {
    record.value("wire", "knee_deliveries_per_s", knee.knee.deliveriesPerSec);
    record.value("wire", "knee_p99_ms", knee.knee.p99Ms);
  }
  if (knee.firstFail) record.value("wire", "knee_fail_deliveries_per_s", knee.firstFail.deliveriesPerSec);
  const fail = knee.firstFail;
  const failText = !fail
    ? "no rate tried broke it"
    : `${perSec(fail.deliveriesPerSec)} broke it (${
      fail.lost > 0 ? `${fail.lost} deliveries missing after the drain` : `p99 ${fail.p99Ms.toFixed(1)} ms`
    })`;
  record.note(
    knee.knee
      ? `knee: p99 ≤ ${knee.boundMs} ms up to ${perSec(knee.knee.deliveriesPerSec)} (p99 ${
        knee.knee.p99Ms.toFixed(1)
      } ms); ${failText}; ${how}`
      : `knee: no rate tried kept p99 ≤ ${knee.boundMs} ms; ${failText}; ${how}`,
  );
}

async function engine(ctx: SuiteContext): Promise<void> {
  const hub = createHub();
  const subscribers = ctx.level.subscribers;
  for (let i = 0; i < subscribers; i++) {
    const peer = createCountingPeer();
    hub.open(peer);
    hub.message(peer, `{"op":"sub","id":0,"ch":"${CHANNEL}"}`);
  }
  const publisher = createCountingPeer();
  publisher.role = "publisher";
  hub.open(publisher);
  const frame = `{"op":"pub","id":1,"ch":"${CHANNEL}","seq":0,"ts":0,"p":"${PAYLOAD}"}`;
  const timing = await timeEngine(() => hub.message(publisher, frame), subscribers);
  ctx.record.value("engine", "deliveries_per_s", timing.opsPerSec);
}

export const broadcastSuite: Suite = {
  name: "broadcast",
  shardable: false,
  unsupported: (profile) => missing(profile, ["subscribe", "publish", "acks"]),
  slicesItself: true,
  description: "deliveries/s and publish→receipt latency per recipient; lost, duplicated, out-of-order counted; hub fan-out/s",
  answered: "deliveries received",
  wire,
  engine,
  metrics,
};
