/**
 * The broadcast knee: the highest delivery rate at which publish-to-receipt
 * p99 stays under a bound. Over the subscribers the paced run used, it
 * publishes at fixed rates, one short step each: it starts at the rate the
 * paced run reached, doubles or halves until one step holds the bound and
 * another breaks it, then bisects between the two. Every step is bounded in
 * time and the search in steps. The publisher sends on its schedule whatever
 * the replies do (a stalled server cannot slow it down), and each publish
 * carries its intended time, so every delivery is timed from when it was due,
 * not from when a late publisher got round to it (no coordinated omission).
 * Each step keeps the rate it asked for and the rate it achieved (deliveries
 * received over the step, first intended publish to last delivery), and how
 * far the publisher fell behind its schedule, so a late generator shows.
 * Broadcast's latency at load is one such step, at half the capacity.
 */
import { Histogram } from "../model/histogram.ts";
import { epochMs, msToNs, now, sleep } from "../load/clock.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Ack, Delivery } from "../protocol/messages.ts";
import { DeliveryCheck } from "./_delivery-check.ts";
import type { PhaseWatch } from "./live-tally.ts";
import type { SuiteContext } from "./suite.ts";

/** how long each step publishes */
export const STEP_MS = 1_000;
/** steps at most in one search */
export const MAX_STEPS = 8;
/** bisect until the failing rate is within this factor of the passing one */
const RESOLUTION = 1.25;
/** a step's deliveries may still arrive this long after its last publish; later ones count against it */
const DRAIN_MS = 2_000;
/** publishes one step may make at most: keeps its per-recipient bookkeeping small at tiny subscriber counts */
const MAX_PUBLISHES_PER_STEP = 100_000;

/** One step: the rate asked for and the rate achieved (deliveries/s), its p99, deliveries missing after the drain, the publisher's lag. */
export type KneeStep = {
  deliveriesPerSec: number;
  achievedPerSec: number;
  p99Ms: number;
  lost: number;
  passed: boolean;
  maxSendLagMs: number;
};
export type Knee = { boundMs: number; steps: KneeStep[]; knee?: KneeStep; firstFail?: KneeStep; publishes: number };

export type StepSpec = {
  ctx: SuiteContext;
  subscribers: readonly LoadConnection[];
  publisher: LoadConnection;
  subscribed: number;
  channel: string;
  payload: string;
  /** seq numbers from here on are the search's own: no late delivery of the paced run can be mistaken for one */
  firstSeq: number;
  /** where a late delivery of the paced run goes, to be counted there */
  late?(conn: LoadConnection, delivery: Delivery, at: number): void;
  /** the progress watch of a step whose deliveries count toward the suite's answered (the paced step), given their number */
  progress?(expected: number): PhaseWatch;
};

async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await sleep(5);
}

/** The rate to try next, from what the steps so far found; undefined when the search is done. */
export function nextRate(steps: readonly KneeStep[], start: number): number | undefined {
  if (steps.length === 0) return start;
  if (steps.length >= MAX_STEPS) return undefined;
  const pass = steps.filter((s) => s.passed).map((s) => s.deliveriesPerSec);
  const fail = steps.filter((s) => !s.passed).map((s) => s.deliveriesPerSec);
  const best = pass.length > 0 ? Math.max(...pass) : undefined;
  const worst = fail.length > 0 ? Math.min(...fail) : undefined;
  if (best === undefined) return worst! / 2;
  if (worst === undefined) return best * 2;
  if (worst / best <= RESOLUTION) return undefined;
  return Math.sqrt(best * worst);
}

export async function searchKnee(spec: StepSpec, boundMs: number, start: number): Promise<Knee> {
  const steps: KneeStep[] = [];
  spec.ctx.record.live.phase("knee search steps", MAX_STEPS)(() => steps.length);
  let seq = spec.firstSeq;
  for (let rate = nextRate(steps, start); rate !== undefined && !spec.ctx.signal.aborted; rate = nextRate(steps, start)) {
    const step = await runStep(spec, rate, seq, boundMs, STEP_MS);
    seq += step.publishes;
    steps.push(step.result);
    if (!spec.publisher.open) break;
  }
  const passed = steps.filter((s) => s.passed);
  const knee = passed.length > 0 ? passed.reduce((a, b) => (b.deliveriesPerSec > a.deliveriesPerSec ? b : a)) : undefined;
  const failed = steps.filter((s) => !s.passed && (!knee || s.deliveriesPerSec > knee.deliveriesPerSec));
  const firstFail = failed.length > 0 ? failed.reduce((a, b) => (b.deliveriesPerSec < a.deliveriesPerSec ? b : a)) : undefined;
  return { boundMs, steps, ...(knee ? { knee } : {}), ...(firstFail ? { firstFail } : {}), publishes: seq - spec.firstSeq };
}

/** What one step measured: its figures, its own deliveries' check (latency from each publish's intended time), the publisher's lag. */
export type StepOutcome = {
  publishes: number;
  result: KneeStep;
  check: DeliveryCheck;
  sendLag: Histogram;
  startedMs: number;
  lastDeliveryMs: number;
};

/** One fixed-rate step: `rate` deliveries/s for `stepMs`, then waits for its deliveries. */
export async function runStep(spec: StepSpec, rate: number, firstSeq: number, boundMs: number, stepMs: number): Promise<StepOutcome> {
  const { ctx, subscribers, publisher, subscribed } = spec;
  const publishesPerSec = rate / subscribed;
  const publishes = Math.max(1, Math.min(MAX_PUBLISHES_PER_STEP, Math.round((publishesPerSec * stepMs) / 1000)));
  const check = new DeliveryCheck(subscribers.length, publishes);
  const sendLag = new Histogram();
  const expected = publishes * subscribed;
  spec.progress?.(expected)(() => check.unique, check.latency);
  const startedMs = epochMs();
  const intervalMs = 1000 / publishesPerSec;
  let sent = 0;
  let maxSendLagMs = 0;
  let lastDeliveryMs = startedMs;
  /** sends every publish whose intended time has come, stamped with that time */
  const pump = (): void => {
    while (sent < publishes && publisher.open) {
      const intended = startedMs + sent * intervalMs;
      const at = epochMs();
      if (intended > at) break;
      sendLag.record(msToNs(at - intended));
      maxSendLagMs = Math.max(maxSendLagMs, at - intended);
      const s = firstSeq + sent;
      // stamped with its intended time: a late send is the generator's delay, counted in the latency
      publisher.socket.send(publisher.session.publish!(s, spec.channel, s, intended, spec.payload));
      sent++;
    }
  };
  // each ack is the server's own count of the channel: a refusal or a recipient missing is counted here as in the run
  publisher.onReply = (reply) => {
    const ack = reply as Ack;
    if (reply.op !== "ack") ctx.record.errors.add("unsolicited", `unexpected ${reply.op} frame on the publisher`);
    else if (!ack.ok) ctx.record.errors.add("publish_refused", `publish not acknowledged: ${JSON.stringify(reply).slice(0, 120)}`);
    else if (ack.n !== undefined && ack.n !== subscribed) {
      ctx.record.errors.add("recipient_count", `server fanned out to ${ack.n} recipients, ${subscribed} subscribed`);
    }
  };
  subscribers.forEach((conn, slot) => {
    conn.onReply = (reply, at) => {
      if (reply.op !== "msg") return;
      const d = reply as Delivery;
      // a late delivery of an earlier step belongs to no step now; one of the paced run still counts there
      if (d.seq >= firstSeq) {
        lastDeliveryMs = epochMs();
        check.receive(slot, d.seq - firstSeq, msToNs(lastDeliveryMs - d.ts));
      } else if (d.seq < spec.firstSeq) spec.late?.(conn, d, at);
      pump();
    };
  });
  // timers may run late under a flood of deliveries: every delivery also sends what is due
  while (sent < publishes && publisher.open && !ctx.signal.aborted) {
    pump();
    await sleep(Math.max(1, Math.min(10, intervalMs)));
  }
  const drained = (until: number): Promise<void> => waitUntil(() => check.unique >= expected || now() >= until || ctx.signal.aborted);
  await drained(now() + DRAIN_MS);
  const lost = expected - check.unique;
  const p99Ms = check.latency.count > 0 ? check.latency.percentile(99) / 1e6 : Number.POSITIVE_INFINITY;
  const achievedPerSec = lastDeliveryMs > startedMs ? (check.unique * 1000) / (lastDeliveryMs - startedMs) : 0;
  // a delivery that never came within the drain is later than any bound
  const passed = lost === 0 && p99Ms <= boundMs;
  // an overloaded step leaves a queue behind: the next step must not be judged on it
  if (lost > 0) await drained(now() + ctx.plan.timeoutMs);
  for (const c of subscribers) c.onReply = () => {};
  publisher.onReply = () => {};
  const result = { deliveriesPerSec: rate, achievedPerSec, p99Ms, lost, passed, maxSendLagMs };
  return { publishes, result, check, sendLag, startedMs, lastDeliveryMs };
}
