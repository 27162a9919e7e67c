/**
 * Where a virtual user's frames go. Every server frame is decoded once by
 * the connection's protocol session; a reply to one of the profile's
 * operations goes to the operation waiting on its id, a delivery to a
 * `delivery()` waiting for it, anything else to the oldest `request()` or
 * `expect()` whose match accepts it. What nobody waits for is a push: kept
 * in a bounded inbox (the oldest dropped, and counted, when it is full)
 * until an `expect()` asks for it. Nothing a server sends is lost unseen,
 * and a burst of pushes is a bounded buffer, never a crash.
 *
 * Deadlines share one timer per virtual user, armed for the earliest one:
 * a round trip costs no timer of its own.
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { Delivery, Reply } from "../protocol/messages.ts";
import type { Decoded, Session } from "../profiles/profile.ts";
import { now } from "./clock.ts";
import type { ErrorTally } from "./error-tally.ts";
import type { ScenarioTally } from "./scenario-tally.ts";

/** A frame as the inbox keeps it: what the session made of it, and the scenario's parse once asked for. */
type Entry<M> = { frame: Frame; decoded: Reply | undefined; at: number; parsed?: { ok: true; message: M } | { ok: false } };

/** Something waiting: settled with what it waited for, or with nothing when its deadline passes. */
export type Waiter<T> = { deadline: number; settle(value: T | undefined, at: number): void };
/** `push`: an `expect()`, whose frame is a server push; a `request()`'s is its reply */
type RawWaiter<M> = Waiter<M> & { match(message: M): boolean; push: boolean };
type DeliveryWaiter = Waiter<Delivery> & { channel?: string };

const excerpt = (frame: Frame): string => (typeof frame === "string" ? frame.slice(0, 80) : `${frame.length} binary bytes`);
/** a delivery whose profile does not say its channel (`ch` empty) may answer a wait on any channel */
const onChannel = (d: Delivery, channel: string | undefined): boolean => channel === undefined || d.ch === "" || d.ch === channel;

export class VuInbox<M> {
  readonly ops = new Map<number, Waiter<Reply>>();
  readonly #raws: Array<RawWaiter<M>> = [];
  readonly #deliveries: DeliveryWaiter[] = [];
  #entries: Array<Entry<M>> = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  readonly #session: Session;
  readonly #parse: (frame: Frame) => M;
  readonly #limit: number;
  readonly #tally: ScenarioTally;
  readonly #errors: ErrorTally;

  constructor(session: Session, parse: (frame: Frame) => M, limit: number, tally: ScenarioTally, errors: ErrorTally) {
    this.#session = session;
    this.#parse = parse;
    this.#limit = limit;
    this.#tally = tally;
    this.#errors = errors;
  }

  /** A server frame; `heartbeat` tells the connection to re-arm its heartbeat deadline. */
  receive(frame: Frame, at: number): "heartbeat" | undefined {
    const decoded = this.#session.decode(frame);
    if (!Array.isArray(decoded)) return this.#take(decoded as Decoded, frame, at);
    // a frame may carry several messages (MQTT packets need not line up with frames): each is taken
    let beat: "heartbeat" | undefined;
    for (const one of decoded as readonly Decoded[]) beat = this.#take(one, frame, at) ?? beat;
    return beat;
  }

  /** What the session made of a frame, routed to whoever waits for it, or kept. */
  #take(decoded: Decoded, frame: Frame, at: number): "heartbeat" | undefined {
    if (decoded === "heartbeat") return "heartbeat";
    if (decoded === "control") return undefined;
    const reply = typeof decoded === "object" ? decoded : undefined;
    if (reply && reply.op !== "msg" && reply.id !== undefined) {
      const op = this.ops.get(reply.id);
      if (op) {
        this.ops.delete(reply.id);
        return void op.settle(reply, at);
      }
    }
    const entry: Entry<M> = { frame, decoded: reply, at };
    if (reply?.op === "msg") {
      this.#tally.delivery.record(Math.max(0, (performance.timeOrigin + at - reply.ts) * 1e6));
      if (this.#takeDelivery(reply, at)) return;
    }
    for (let i = 0; i < this.#raws.length; i++) {
      const w = this.#raws[i];
      if (!this.#matches(entry, w.match)) continue;
      this.#raws.splice(i, 1);
      if (w.push) this.#tally.pushes++;
      return void w.settle(this.#message(entry), at);
    }
    this.#tally.pushes++;
    if (this.#entries.length - this.#head >= this.#limit) {
      this.#head++;
      this.#tally.pushesOverflowed++;
      this.#errors.add(
        "inbox_overflow",
        `a virtual user's inbox held ${this.#limit} unread pushes: the oldest was dropped (counted, not read)`,
      );
    }
    this.#entries.push(entry);
  }

  /** Hands a delivery to the oldest `delivery()` waiting on its channel; false when none waits. */
  #takeDelivery(d: Delivery, at: number): boolean {
    const i = this.#deliveries.findIndex((w) => onChannel(d, w.channel));
    if (i < 0) return false;
    this.#tally.pushes++;
    this.#deliveries.splice(i, 1)[0].settle(d, at);
    return true;
  }

  /** The oldest push `match` accepts, taken from the inbox; undefined when none. */
  takePush(match: (message: M) => boolean): M | undefined {
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i];
      if (!this.#matches(entry, match)) continue;
      this.#remove(i);
      return this.#message(entry);
    }
    return undefined;
  }

  /** The oldest delivery on `channel` in the inbox, taken; undefined when none. */
  takeDelivery(channel: string | undefined): Delivery | undefined {
    for (let i = this.#head; i < this.#entries.length; i++) {
      const d = this.#entries[i].decoded;
      if (d?.op !== "msg" || !onChannel(d, channel)) continue;
      this.#remove(i);
      return d;
    }
    return undefined;
  }

  #remove(i: number): void {
    if (i === this.#head) this.#head++;
    else this.#entries.splice(i, 1);
    // the consumed front is let go now and then, not on every take
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  waitRaw(w: RawWaiter<M>): void {
    this.#raws.push(w);
    this.#arm(w.deadline);
  }

  waitDelivery(w: DeliveryWaiter): void {
    this.#deliveries.push(w);
    this.#arm(w.deadline);
  }

  waitOp(id: number, w: Waiter<Reply>): void {
    this.ops.set(id, w);
    this.#arm(w.deadline);
  }

  /** Pushes still unread, counted once the virtual user is done. */
  get unread(): number {
    return this.#entries.length - this.#head;
  }

  /** Settles every waiter with nothing (the connection is gone, the run stopped); returns how many there were. */
  drop(): number {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const all: Array<Waiter<unknown>> = [...this.ops.values(), ...this.#raws, ...this.#deliveries];
    this.ops.clear();
    this.#raws.length = 0;
    this.#deliveries.length = 0;
    for (const w of all) w.settle(undefined, now());
    return all.length;
  }

  #matches(entry: Entry<M>, match: (message: M) => boolean): boolean {
    if (!entry.parsed) {
      try {
        entry.parsed = { ok: true, message: this.#parse(entry.frame) };
      } catch (error) {
        entry.parsed = { ok: false };
        this.#errors.add("bad_frame", `the scenario's parse threw on ${excerpt(entry.frame)}: ${(error as Error)?.message ?? error}`);
      }
    }
    if (!entry.parsed.ok) return false;
    try {
      return match(entry.parsed.message) === true;
    } catch {
      // a match that throws on a frame it did not expect is no match
      return false;
    }
  }

  #message(entry: Entry<M>): M {
    return (entry.parsed as { message: M }).message;
  }

  #arm(deadline: number): void {
    if (deadline >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, deadline - now()));
  }

  /** Every waiter past its deadline is settled with nothing; the timer is armed again for the next. */
  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const t = now();
    let next = Number.POSITIVE_INFINITY;
    const due = <W extends Waiter<never>>(w: W): boolean => {
      if (w.deadline <= t) return true;
      next = Math.min(next, w.deadline);
      return false;
    };
    const expired: Array<Waiter<never>> = [];
    for (const [id, w] of this.ops) if (due(w)) this.ops.delete(id), expired.push(w);
    for (const list of [this.#raws, this.#deliveries] as Array<Array<Waiter<never>>>) {
      for (let i = list.length - 1; i >= 0; i--) if (due(list[i])) expired.push(...list.splice(i, 1));
    }
    if (next < Number.POSITIVE_INFINITY) this.#arm(next);
    for (const w of expired) w.settle(undefined, t);
  }
}
