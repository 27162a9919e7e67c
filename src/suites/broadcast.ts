/**
 * Broadcast suite. Wire: capacity, then latency at load. The level's
 * subscribers join one channel; a publisher sends `operations / subscribers`
 * messages to it, a window of publishes in flight so that deliveries still in
 * flight stay bounded (an unbounded burst measures the server's queue, not its
 * fan-out): its deliveries/s is the capacity, its publish-to-receipt latency
 * the queue it builds. Then the publisher sends at a fixed rate, half that
 * capacity, for a bounded time, each publish stamped with its intended time:
 * that publish-to-receipt latency is the one judged. Every recipient checks
 * every delivery (`_broadcast-run.ts`): lost, duplicated, out-of-order and
 * unexpected messages are counted until the connections close. With
 * `plan.p99BoundMs`, a search over the same subscribers then finds the highest
 * delivery rate whose p99 holds that bound (`_broadcast-knee.ts`). Engine: the
 * hub fanning one publish out to the level's subscribers.
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
import type { LoadConnection } from "../load/pool.ts";
import { epochMs, msToNs } from "../load/clock.ts";
import type { Delivery } from "../protocol/messages.ts";
import { missing } from "../profiles/profile.ts";
import { sliceOf } from "../load/placement.ts";
import { openServerPool, withPool } from "./_connections.ts";
import { awaitReplies } from "./_await-replies.ts";
import { type Knee, MAX_STEPS, runStep, searchKnee, STEP_MS, type StepSpec } from "./_broadcast-knee.ts";
import { BroadcastRun, PUBLISH_WINDOW, publishesOf } from "./_broadcast-run.ts";
import type { DeliveryCheck } from "./_delivery-check.ts";
import { inPhase, PACE_PCT, PACED_MAX_MS, PACED_MIN_MS, PACED_SAMPLES } from "./_load-phases.ts";
import { timeEngine } from "./engine-timing.ts";
import type { PhaseWatch } from "./live-tally.ts";
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
  "engine.deliveries_per_s": headlineRate("fan-out deliveries", "deliveries/s", higher(100_000, 50_000)),
  "wire.deliveries_per_s": headlineRate("deliveries (capacity)", "deliveries/s", higher(100_000, 20_000)),
  ...queueing("queued_latency", "windowed publish-to-receipt (queueing)"),
  ...latencies("latency", "publish-to-receipt at load", lower(20, 100)),
  ...loadSplit("deliveries/s", "deliveries in flight (publish window × subscribers)"),
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
  // --p99-bound only: the highest delivery rate achieved with p99 within the bound (and the rate it asked for),
  // its p99, and the first rate asked for that broke it
  "wire.knee_deliveries_per_s": metric("knee: deliveries achieved at p99 within the bound", "deliveries/s", "higher"),
  "wire.knee_asked_deliveries_per_s": plain("knee: deliveries asked for at that step", "deliveries/s"),
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
  let paced: PacedStep | undefined;
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
        const capacity = await inPhase(ctx, "capacity", () => run!.paced());
        ctx.record.count("wire", "in_flight", PUBLISH_WINDOW * subscribed.length);
        if (!pub.open || ctx.signal.aborted || !(capacity > 0)) return;
        // a late delivery of the run still counts there; one of an earlier step is that step's
        const late = (conn: LoadConnection, d: Delivery, at: number): void => {
          if (d.seq < publishes) run!.receive(conn, d, at);
        };
        const spec: StepSpec = {
          ctx,
          subscribers: subscribed,
          publisher: pub,
          subscribed: subscribed.length,
          channel,
          payload: PAYLOAD,
          firstSeq: publishes,
          late,
        };
        paced = await latencyAtLoad(spec, capacity);
        let seq = publishes + paced.publishes;
        const bound = ctx.plan.p99BoundMs;
        if (bound !== undefined && pub.open && !ctx.signal.aborted) {
          const knee = await searchKnee({ ...spec, firstSeq: seq }, bound, capacity);
          seq += knee.publishes;
          recordKnee(ctx, knee);
        }
        // the run's and the paced step's late deliveries count until the connections close
        run.listen(undefined, seq, paced.late);
        await run.quiet([paced.check]);
      }),
  );
  // nobody to deliver to, or no one to publish: nothing of what the suite exists for was measured
  if (!run) return record.answered(0, publishes * mine);
  run.record(publishes * mine);
  if (paced) recordRepeats(ctx, paced.check);
}

/** The paced step: how many publishes it made, its deliveries' check, and where its late deliveries go. */
type PacedStep = { publishes: number; check: DeliveryCheck; late: (slot: number, d: Delivery) => void };

/**
 * The paced step's duplicates and out-of-order deliveries, once the connections closed: a late duplicate counts too.
 * Its publishes carry no delivery class, so they go in the profile's highest (its last): where that one is at least
 * once (MQTT's QoS 1), a second copy is the protocol's right, counted as such and never a fault.
 */
function recordRepeats(ctx: SuiteContext, check: DeliveryCheck): void {
  const { record } = ctx;
  if (ctx.profile.deliveryClasses?.at(-1)?.duplicatesLegal) record.count("wire", "duplicated_legal", check.duplicated, check.unique);
  else {
    record.errors.add("duplicate", `${check.duplicated} deliveries at load arrived twice`, check.duplicated);
    record.count("wire", "duplicated", check.duplicated, check.unique);
  }
  record.errors.add("out_of_order", `${check.outOfOrder} deliveries at load arrived after a later one`, check.outOfOrder);
  record.count("wire", "out_of_order", check.outOfOrder, check.unique);
}

/**
 * Latency at load: one fixed-rate step at PACE_PCT % of the capacity just measured, each publish stamped with its
 * intended time; its deliveries are checked and counted like the run's (its repeats once the connections closed).
 */
async function latencyAtLoad(spec: StepSpec, capacity: number): Promise<PacedStep> {
  const { record } = spec.ctx;
  const rate = (capacity * PACE_PCT) / 100;
  const stepMs = Math.min(PACED_MAX_MS, Math.max(PACED_MIN_MS, (PACED_SAMPLES / rate) * 1_000));
  // its deliveries go on the count of the run's, the suite's one progress count
  const progress = (expected: number): PhaseWatch => record.live.continueAnswered(expected);
  const step = await inPhase(
    spec.ctx,
    "latency",
    () => runStep({ ...spec, progress }, rate, spec.firstSeq, Number.POSITIVE_INFINITY, stepMs),
  );
  const { check, sendLag } = step;
  const expected = step.publishes * spec.subscribed;
  record.latency("latency", check.latency);
  record.answered(check.unique, expected);
  record.rate("wire", "paced_per_s", check.unique, step.startedMs, step.lastDeliveryMs);
  record.max("wire", "send_lag_p99_ms", sendLag.percentile(99) / 1e6);
  record.max("wire", "send_lag_max_ms", sendLag.max / 1e6);
  if (!spec.ctx.signal.aborted) {
    record.errors.add("lost", `${step.result.lost} of ${expected} deliveries at load never arrived`, step.result.lost);
    record.count("wire", "lost", step.result.lost, expected);
  }
  record.note(
    `latency at load: ${perSec(rate)} asked (${PACE_PCT} % of the capacity just measured), ${
      perSec(step.result.achievedPerSec)
    } achieved, ` +
      `for ${
        (stepMs / 1_000).toFixed(1)
      } s, each delivery timed from its publish's intended time; the windowed run's latencies are its queue`,
  );
  const { firstSeq } = spec;
  const late = (slot: number, d: Delivery): void => {
    if (d.seq >= firstSeq && d.seq < firstSeq + step.publishes) check.receive(slot, d.seq - firstSeq, msToNs(epochMs() - d.ts));
  };
  return { publishes: step.publishes, check, late };
}

const perSec = (n: number): string => `${Math.round(n).toLocaleString("en-US")} deliveries/s`;

function recordKnee(ctx: SuiteContext, knee: Knee): void {
  const { record } = ctx;
  const tried = knee.steps.map((s) => `${perSec(s.deliveriesPerSec)} asked, ${perSec(s.achievedPerSec)} achieved${s.passed ? " ✓" : " ✗"}`)
    .join(", ");
  const lag = Math.max(0, ...knee.steps.map((s) => s.maxSendLagMs));
  const how = `${knee.steps.length} fixed-rate steps of ${STEP_MS / 1000} s (at most ${MAX_STEPS}): ${tried}; the publisher ran at most ${
    lag.toFixed(0)
  } ms behind its schedule`;
  if (knee.knee) {
    record.value("wire", "knee_deliveries_per_s", knee.knee.achievedPerSec);
    record.value("wire", "knee_asked_deliveries_per_s", knee.knee.deliveriesPerSec);
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
      ? `knee: p99 ≤ ${knee.boundMs} ms up to ${perSec(knee.knee.achievedPerSec)} achieved (${perSec(knee.knee.deliveriesPerSec)} asked, ` +
        `p99 ${knee.knee.p99Ms.toFixed(1)} ms); ${failText}; ${how}`
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
  description:
    "capacity in deliveries/s, publish→receipt latency per recipient at a paced load; lost, duplicated, out-of-order counted; hub fan-out/s",
  answered: "deliveries received",
  split: { capacity: "deliveries_per_s", queued: "queued_latency", paced: ["latency"] },
  wire,
  engine,
  metrics,
};
