/**
 * Broadcast's paced run and its bookkeeping: a publisher sends `publishes`
 * messages to a channel, paced so deliveries still in flight stay bounded,
 * and every subscriber checks every delivery. Only subscribers the server
 * acknowledged are owed deliveries; one that reaches a connection whose
 * subscribe was refused is an unexpected delivery, counted apart.
 *
 * Counting does not stop when the last expected delivery arrives: the suite
 * listens until no frame has come for `QUIET_MS`, or for four times the latest a
 * duplicate has come after its publish when that is longer (at most
 * `timeout`), and the handlers stay in place while the connections close, so a
 * duplicate that comes late is still counted; how long the tail was watched is
 * reported.
 */
import { epochMs, msToNs, now, sleep } from "../load/clock.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Ack, Delivery } from "../protocol/messages.ts";
import type { DeliveryClass } from "../profiles/profile.ts";
import { DeliveryCheck } from "./_delivery-check.ts";
import type { PhaseWatch } from "./live-tally.ts";
import type { SuiteContext } from "./suite.ts";

/** publishes awaiting their ack */
export const PUBLISH_WINDOW = 4;
/** after the last expected delivery, listen until no frame has come for this long at least */
export const QUIET_MS = 250;

/**
 * How long the tail listens for silence: QUIET_MS, or four times the latest any of `checks` saw a duplicate come after its
 * publish (a server that copies late, on a loaded machine, copies later still), at most `timeoutMs`.
 */
export const quietMsOf = (checks: readonly DeliveryCheck[], timeoutMs: number): number =>
  Math.min(timeoutMs, Math.max(QUIET_MS, ...checks.map((c) => (4 * c.slowestDuplicateNs) / 1e6)));

export type BroadcastSpec = {
  ctx: SuiteContext;
  /** every subscriber connection that opened, and those whose subscribe the server acknowledged */
  opened: readonly LoadConnection[];
  subscribed: readonly LoadConnection[];
  publisher: LoadConnection;
  /** all of them, split evenly over the profile's delivery classes (`publishesOf`) */
  publishes: number;
  channel: string;
  payload: string;
};

/** The classes a run publishes in, in order: the profile's, or one of its own (`cls` then goes to the session as undefined). */
const classesOf = (ctx: SuiteContext): readonly DeliveryClass[] =>
  ctx.profile.deliveryClasses ?? [{ label: "", duplicatesLegal: false, acked: ctx.profile.publishAcked }];

/** `planned` publishes as a run makes them: a whole number per delivery class (at least one each). */
export function publishesOf(ctx: SuiteContext, planned: number): number {
  const n = classesOf(ctx).length;
  return Math.max(1, Math.floor(planned / n)) * n;
}

export class BroadcastRun {
  readonly #spec: BroadcastSpec;
  /** indexed by a subscriber's place among the acknowledged ones, whatever connections failed */
  readonly #check: DeliveryCheck;
  readonly #slots = new Map<LoadConnection, number>();
  readonly #classes: readonly DeliveryClass[];
  /** publishes of each class; class `k` sends the seqs from `k × perClass` */
  readonly #perClass: number;
  #unexpected = 0;
  /** seqs from the run's publishes up to this one belong to later fixed-rate steps: their late deliveries are theirs, not this run's */
  #stepsUpTo = 0;
  /** where a late delivery of a step goes, to be counted there */
  #lateStep: ((slot: number, d: Delivery) => void) | undefined;
  #sent = 0;
  #acks = 0;
  /** publishes answered in the classes done (acks, or for unacknowledged ones, publishes that reached a subscriber) */
  #answeredDone = 0;
  #started = 0;
  #lastDelivery = 0;
  #lastFrame = now();
  /** when the wait for the expected deliveries ended, and whether the pump may still send */
  #waitEnded = 0;
  #pumping = true;

  constructor(spec: BroadcastSpec) {
    this.#spec = spec;
    this.#classes = classesOf(spec.ctx);
    this.#perClass = spec.publishes / this.#classes.length;
    this.#check = new DeliveryCheck(spec.subscribed.length, spec.publishes, this.#classes.length);
    spec.subscribed.forEach((conn, slot) => this.#slots.set(conn, slot));
  }

  get #expected(): number {
    return this.#spec.publishes * this.#spec.subscribed.length;
  }

  /** Hands progress the reader of the unique deliveries so far (every one, the knee search's late ones too) and their latencies. */
  watch(watch: PhaseWatch): void {
    watch(() => this.#check.unique, this.#check.latency);
  }

  /** A delivery of this run that the knee search's handlers saw (its `seq` is below the knee's first). */
  receive(conn: LoadConnection, d: Delivery, at: number): void {
    this.#receive(this.#slots.get(conn), d, at);
  }

  /** `slot`: the recipient's place among the acknowledged subscribers; undefined for one the server refused */
  #receive(slot: number | undefined, d: Delivery, at: number): void {
    this.#lastFrame = at;
    if (slot === undefined) return void this.#unexpected++;
    if (d.seq >= this.#spec.publishes && d.seq < this.#stepsUpTo) return void this.#lateStep?.(slot, d);
    this.#check.receive(slot, d.seq, msToNs(epochMs() - d.ts));
    this.#lastDelivery = at;
  }

  /**
   * Routes every subscriber's frames here again (after fixed-rate steps had them, their seqs below `stepsUpTo`),
   * and `then` after each delivery.
   */
  listen(then: (at: number) => void = () => {}, stepsUpTo = this.#stepsUpTo, lateStep?: (slot: number, d: Delivery) => void): void {
    this.#stepsUpTo = stepsUpTo;
    this.#lateStep = lateStep;
    const { record } = this.#spec.ctx;
    for (const conn of this.#spec.opened) {
      const slot = this.#slots.get(conn);
      conn.onReply = (reply, at) => {
        if (reply.op !== "msg") return record.errors.add("unsolicited", `unexpected ${reply.op} frame on a subscriber`);
        this.#receive(slot, reply as Delivery, at);
        then(at);
      };
    }
  }

  /**
   * Publishes everything, one delivery class after the other, waiting for each class's deliveries (bounded), then
   * watches the tail; resolves the deliveries/s reached.
   */
  async paced(): Promise<number> {
    const { ctx, publisher, channel, payload } = this.#spec;
    const { record } = ctx;
    const subscribed = this.#spec.subscribed.length;
    const perClass = this.#perClass;
    const named = ctx.profile.deliveryClasses !== undefined;
    const maxInFlight = Math.max(subscribed * PUBLISH_WINDOW, 4096);
    let cls = 0;
    let sentInClass = 0;
    let acksInClass = 0;
    let reachedBefore = 0;
    /** without acks from the server, a publish counts as answered once any subscriber has it */
    const answered = (): number => (this.#classes[cls].acked ? acksInClass : this.#check.reached - reachedBefore);
    const room = (): boolean => sentInClass - answered() < PUBLISH_WINDOW && this.#sent * subscribed - this.#check.unique < maxInFlight;
    const pump = (): void => {
      while (this.#pumping && sentInClass < perClass && room() && publisher.open) {
        if (this.#sent === 0) this.#started = now();
        const seq = cls * perClass + sentInClass++;
        this.#sent++;
        publisher.socket.send(publisher.session.publish!(seq, channel, seq, epochMs(), payload, named ? cls : undefined));
      }
    };
    let lastProgress = now();
    publisher.onReply = (reply, at) => {
      lastProgress = at;
      const ack = reply as Ack;
      if (reply.op !== "ack" || !ack.ok) {
        record.errors.add("publish_refused", `publish not acknowledged: ${JSON.stringify(reply).slice(0, 120)}`);
      } else if (ack.n !== undefined && ack.n !== subscribed) {
        record.errors.add("recipient_count", `server fanned out to ${ack.n} recipients, ${subscribed} subscribed`);
      }
      this.#acks++;
      acksInClass++;
      pump();
    };
    this.listen((at) => {
      lastProgress = at;
      pump();
    });
    for (; cls < this.#classes.length && !ctx.signal.aborted; cls++) {
      [sentInClass, acksInClass, reachedBefore] = [0, 0, this.#check.reached];
      lastProgress = now();
      pump();
      const expected = perClass * subscribed;
      while (this.#check.uniqueBy[cls] < expected && now() - lastProgress < ctx.plan.timeoutMs && !ctx.signal.aborted) await sleep(5);
      this.#answeredDone += answered();
    }
    this.#waitEnded = now();
    this.#pumping = false;
    while (now() - this.#lastFrame < this.#quietMs() && now() - this.#waitEnded < ctx.plan.timeoutMs && !ctx.signal.aborted) await sleep(5);
    const [startMs, endMs] = this.#span();
    return endMs > startMs ? (this.#check.unique * 1000) / (endMs - startMs) : 0;
  }

  /** The tail's silence for this run and `steps` (the fixed-rate steps whose duplicates it also waits for). */
  #quietMs(steps: readonly DeliveryCheck[] = []): number {
    return quietMsOf([this.#check, ...steps], this.#spec.ctx.plan.timeoutMs);
  }

  /**
   * Waits until no frame has come for the tail's silence (at most `timeout`), so the last late deliveries of the run and
   * of `steps` arrive before the connections close.
   */
  async quiet(steps: readonly DeliveryCheck[] = []): Promise<void> {
    const { ctx } = this.#spec;
    const from = (this.#lastFrame = now());
    while (now() - this.#lastFrame < this.#quietMs(steps) && now() - from < ctx.plan.timeoutMs && !ctx.signal.aborted) await sleep(5);
  }

  /**
   * first publish to the last delivery, or to the end of the wait when some never came: a rate over it counts
   * the wait; after a user's stop, to the last delivery (what was in flight then had no chance to arrive)
   */
  #span(): [number, number] {
    const waited = this.#check.unique < this.#expected && !this.#spec.ctx.signal.aborted;
    const end = waited ? this.#waitEnded : this.#lastDelivery;
    return [performance.timeOrigin + this.#started, performance.timeOrigin + Math.max(this.#started, end)];
  }

  /** Records the counts, once the connections have closed: everything that arrived until then is counted. */
  record(planned: number): void {
    const { ctx, publishes } = this.#spec;
    const { record } = ctx;
    const check = this.#check;
    const expected = this.#expected;
    const lost = expected - check.unique;
    const [startMs, endMs] = this.#span();
    record.answered(check.unique, planned);
    record.rate("wire", "deliveries_per_s", check.unique, startMs, endMs);
    record.rate("wire", "publishes_per_s", this.#answeredDone, startMs, endMs);
    // the windowed run's latency is the queue its window let build: the judged one is the paced step's
    record.latency("queued_latency", check.latency);
    if (ctx.signal.aborted) {
      record.note(`stopped by the user with ${lost} of ${expected} deliveries still in flight: not counted as lost`);
    } else {
      record.errors.add("lost", `${lost} of ${expected} deliveries never arrived`, lost);
      record.count("wire", "lost", lost, expected);
    }
    const { outOfOrder, invalid } = check;
    // at least once (MQTT's QoS 1), a second copy is the protocol's right: counted and labelled, never a fault
    const legal = this.#classes.reduce((n, c, k) => n + (c.duplicatesLegal ? check.duplicatedBy[k] : 0), 0);
    const duplicated = check.duplicated - legal;
    const unexpected = this.#unexpected;
    record.errors.add("duplicate", `${duplicated} deliveries arrived twice`, duplicated);
    if (this.#classes.some((c) => c.duplicatesLegal)) record.count("wire", "duplicated_legal", legal, check.unique);
    if (ctx.profile.deliveryClasses) this.#noteClasses();
    record.errors.add("out_of_order", `${outOfOrder} deliveries arrived after a later one`, outOfOrder);
    record.errors.add("bad_reply", `${invalid} deliveries carried a seq that was never published or a ts that is no time`, invalid);
    record.errors.add("unexpected_delivery", `${unexpected} deliveries reached connections whose subscribe was refused`, unexpected);
    record.count("wire", "duplicated", duplicated, check.unique);
    record.count("wire", "out_of_order", outOfOrder, check.unique);
    record.count("wire", "unexpected", unexpected, Math.min(publishes, this.#sent));
    record.count("wire", "subscribers", this.#spec.subscribed.length);
    record.max("wire", "tail_ms", now() - this.#waitEnded);
  }

  /** Each delivery class apart, as the report's notes: what arrived, what was lost, the copies, the latency. */
  #noteClasses(): void {
    const { ctx } = this.#spec;
    const check = this.#check;
    const expected = this.#perClass * this.#spec.subscribed.length;
    const ms = (ns: number): string => (ns / 1e6).toFixed(2);
    this.#classes.forEach((c, k) => {
      const lost = expected - check.uniqueBy[k];
      const copies = check.duplicatedBy[k];
      const dup = c.duplicatesLegal ? `${copies} duplicates (legal: at least once)` : `${copies} duplicated`;
      const latency = check.latencyBy[k];
      const p = latency.count > 0 ? `, latency p50 ${ms(latency.percentile(50))} ms, p99 ${ms(latency.percentile(99))} ms` : "";
      const lostText = ctx.signal.aborted ? "the rest stopped by the user" : `${lost} lost`;
      ctx.record.note(`${c.label}: ${check.uniqueBy[k]} of ${expected} deliveries, ${lostText}, ${dup}${p}`);
    });
  }
}
