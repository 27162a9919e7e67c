/**
 * A virtual user: one connection, driven by a user's scenario through its
 * verbs. Each verb is timed into the share's histograms from the instant it
 * goes out to the instant its answer arrived (the socket's arrival time,
 * before any user code ran): a round trip (`request` and the profile's
 * operations), a push awaited (`expect`, `delivery`). Think time (`sleep`,
 * `think`) is timed by nothing. Frames go through `vu-inbox.ts`.
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { Delivery, Reply } from "../protocol/messages.ts";
import type { Profile } from "../profiles/profile.ts";
import { epochMs, msToNs, now } from "./clock.ts";
import type { ErrorTally } from "./error-tally.ts";
import type { LoadConnection } from "./load-connection.ts";
import type { ScenarioTally } from "./scenario-tally.ts";
import { VuInbox } from "./vu-inbox.ts";
import { type MetricRecorder, metricRecorder } from "./vu-metric.ts";
import { RequestTimeout, VuStopped } from "./vu-errors.ts";

/** How long a verb waits: `within` ms (at most the run's timeout when absent). */
export type Within = { within?: number };
/** A publish's delivery as the profile decodes it: its channel ("" when the protocol does not say), seq and send time (epoch ms). */
export type DeliveryInfo = { channel: string; seq: number; ts: number };

/** What a scenario's `setup`, `run` and `teardown` get: one virtual user on one connection. */
export type VirtualUser<M = Frame> = {
  /** the virtual user's index in the level (its connection's) */
  readonly index: number;
  /** the iteration it runs, from 0 (setup and teardown see the count done so far) */
  readonly iteration: number;
  /** sends a frame and waits for nothing (counted in `sends`) */
  send(frame: Frame): void;
  /** sends a frame, resolves the first message `match` accepts (a timed round trip); rejects when none comes in time (`timeout`) */
  request(frame: Frame, match: (message: M) => boolean, options?: Within): Promise<M>;
  /** the first server push `match` accepts (buffered or to come), its wait timed; undefined when none comes (`expect_misses`) */
  expect(match: (message: M) => boolean, options?: Within): Promise<M | undefined>;
  /** the profile's echo, a round trip */
  echo(payload?: string): Promise<void>;
  /** the profile's subscribe; resolves whether the server granted it (a refusal is counted) */
  subscribe(channel: string): Promise<boolean>;
  unsubscribe(channel: string): Promise<boolean>;
  /** the profile's publish, stamped so every recipient times it; a round trip when the server acknowledges publishes */
  publish(channel: string, payload?: string): Promise<boolean>;
  /** the next delivery on `channel` (any channel when absent), its wait timed; undefined when none comes (counted in `expect_misses`) */
  delivery(channel?: string, options?: Within): Promise<DeliveryInfo | undefined>;
  /** think time: waits `ms`, timed by nothing */
  sleep(ms: number): Promise<void>;
  /** think time drawn evenly between `minMs` and `maxMs` */
  think(minMs: number, maxMs: number): Promise<void>;
  /** counts a pass or a failure of the check `name`; returns `condition` as a boolean */
  check(name: string, condition: unknown): boolean;
  /** a metric the scenario declared (`metrics` in `defineScenario`) */
  metric(name: string): MetricRecorder;
};

/** What every virtual user of a share shares. */
export type VuEnvironment<M> = {
  profile: Profile;
  parse: (frame: Frame) => M;
  /** the longest wait of any verb, and its default */
  timeoutMs: number;
  inbox: number;
  tally: ScenarioTally;
  errors: ErrorTally;
};

/** the longest think time one call may take: a load loop stops by itself */
export const MAX_SLEEP_MS = 600_000;
const PAYLOAD = "wsstress-".repeat(7) + "payload";

export class Vu<M> implements VirtualUser<M> {
  readonly index: number;
  iteration = 0;
  readonly #conn: LoadConnection;
  readonly #env: VuEnvironment<M>;
  readonly #inbox: VuInbox<M>;
  readonly #sleeps = new Set<() => void>();
  #nextId = 1;
  #seq = 0;
  #stopped: string | undefined;

  constructor(conn: LoadConnection, env: VuEnvironment<M>) {
    this.index = conn.index;
    this.#conn = conn;
    this.#env = env;
    this.#inbox = new VuInbox(conn.session, env.parse, env.inbox, env.tally, env.errors);
    // it takes every frame: the inbox decodes each once, and says which were heartbeats
    conn.onFrame = (frame, at) => this.#inbox.receive(frame, at) ?? true;
    conn.onGone = () => this.stop("its connection closed");
  }

  /** the connection it runs on */
  get connection(): LoadConnection {
    return this.#conn;
  }

  /** Why the virtual user cannot go on (its connection closed, the run stopped); undefined while it can. */
  get stopped(): string | undefined {
    return this.#stopped;
  }

  /** Ends every wait at once; a round trip still out is counted lost. */
  stop(why: string): void {
    if (this.#stopped !== undefined) return;
    this.#stopped = why;
    const lost = this.#inbox.ops.size;
    this.#inbox.drop();
    if (lost > 0 && why === "its connection closed") {
      this.#env.errors.add("lost_request", `${lost} requests on connections that closed before answering them`, lost);
    }
    for (const wake of this.#sleeps) wake();
  }

  /** The virtual user is done: what its inbox still holds is counted unread. */
  finish(): void {
    this.#env.tally.pushesUnread += this.#inbox.unread;
    this.#conn.onFrame = undefined;
  }

  #live(): void {
    if (this.#stopped !== undefined) throw new VuStopped(this.#stopped);
  }

  #within(options: Within | undefined): number {
    const within = options?.within ?? this.#env.timeoutMs;
    if (!(within >= 0 && within <= this.#env.timeoutMs)) {
      throw new RangeError(`within: ${within} ms; allowed: 0 to the run's timeout, ${this.#env.timeoutMs} ms`);
    }
    return within;
  }

  send(frame: Frame): void {
    this.#live();
    this.#env.tally.sends++;
    this.#conn.socket.send(frame);
  }

  request(frame: Frame, match: (message: M) => boolean, options?: Within): Promise<M> {
    this.#live();
    const within = this.#within(options);
    return new Promise<M>((resolve, reject) => {
      const t0 = now();
      this.#inbox.waitRaw({
        match,
        push: false,
        deadline: t0 + within,
        settle: (message, at) => {
          if (message !== undefined) return void this.#answered(t0, at, resolve, message);
          if (this.#stopped !== undefined) return reject(new VuStopped(this.#stopped));
          this.#env.errors.add("timeout", `a request got no reply its match accepts within ${within} ms`);
          reject(new RequestTimeout(within));
        },
      });
      this.#env.tally.requests++;
      this.#conn.socket.send(frame);
    });
  }

  #answered<T>(t0: number, at: number, resolve: (value: T) => void, value: T): void {
    this.#env.tally.request.record(msToNs(at - t0));
    resolve(value);
  }

  expect(match: (message: M) => boolean, options?: Within): Promise<M | undefined> {
    this.#live();
    const within = this.#within(options);
    const tally = this.#env.tally;
    tally.expects++;
    const t0 = now();
    const buffered = this.#inbox.takePush(match);
    if (buffered !== undefined) return Promise.resolve(this.#awaited(t0, t0, buffered));
    return new Promise((resolve) => {
      this.#inbox.waitRaw({ match, push: true, deadline: t0 + within, settle: (m, at) => resolve(this.#awaited(t0, at, m, within)) });
    });
  }

  /** A push awaited: its wait timed, or a miss counted (unless the wait ended because the user stopped). */
  #awaited<T>(t0: number, at: number, value: T | undefined, within = 0): T | undefined {
    if (value !== undefined) this.#env.tally.expect.record(msToNs(Math.max(0, at - t0)));
    else if (this.#stopped === undefined) {
      this.#env.tally.expectMisses++;
      this.#env.errors.add("expect_missed", `a push the scenario awaited did not come within ${within} ms`);
    }
    return value;
  }

  delivery(channel?: string, options?: Within): Promise<DeliveryInfo | undefined> {
    this.#live();
    const within = this.#within(options);
    this.#env.tally.expects++;
    const t0 = now();
    const info = (d: Delivery | undefined): DeliveryInfo | undefined => d && { channel: d.ch, seq: d.seq, ts: d.ts };
    const buffered = this.#inbox.takeDelivery(channel);
    if (buffered) return Promise.resolve(this.#awaited(t0, t0, info(buffered)));
    return new Promise((resolve) => {
      this.#inbox.waitDelivery({ channel, deadline: t0 + within, settle: (d, at) => resolve(this.#awaited(t0, at, info(d), within)) });
    });
  }

  /**
   * One of the profile's operations (undefined: the profile has none): framed by its session, answered by the reply
   * carrying its id. A session that frames nothing yet sends the request itself once it may (see `Session.unsubscribe`).
   */
  #operation(kind: string, frame: ((id: number) => Frame | undefined) | undefined): Promise<Reply> {
    this.#live();
    if (frame === undefined) throw new Error(`the ${this.#env.profile.name} profile has no ${kind}`);
    const id = this.#nextId++;
    const built = frame(id);
    const within = this.#env.timeoutMs;
    return new Promise<Reply>((resolve, reject) => {
      const t0 = now();
      this.#inbox.waitOp(id, {
        deadline: t0 + within,
        settle: (reply, at) => {
          if (reply !== undefined) return void this.#answered(t0, at, resolve, reply);
          if (this.#stopped !== undefined) return reject(new VuStopped(this.#stopped));
          this.#env.errors.add("timeout", `a ${kind} got no reply within ${within} ms`);
          reject(new RequestTimeout(within));
        },
      });
      this.#env.tally.requests++;
      if (built !== undefined) this.#conn.socket.send(built);
    });
  }

  async echo(payload = PAYLOAD): Promise<void> {
    const session = this.#conn.session;
    const reply = await this.#operation("echo", session.echo && ((id) => session.echo!(id, payload)));
    if (reply.op !== "echo") this.#env.errors.add("bad_reply", `expected an echo, got ${JSON.stringify(reply).slice(0, 120)}`);
  }

  subscribe(channel: string): Promise<boolean> {
    return this.#channel("subscribe", channel);
  }

  unsubscribe(channel: string): Promise<boolean> {
    return this.#channel("unsubscribe", channel);
  }

  async #channel(kind: "subscribe" | "unsubscribe", channel: string): Promise<boolean> {
    const session = this.#conn.session;
    const reply = await this.#operation(kind, session[kind] && ((id) => session[kind]!(id, channel)));
    const ok = reply.op === "ack" && reply.ok;
    if (!ok) this.#env.errors.add("refused", `${kind} ${channel} refused: ${JSON.stringify(reply).slice(0, 120)}`);
    return ok;
  }

  async publish(channel: string, payload = PAYLOAD): Promise<boolean> {
    const session = this.#conn.session;
    const seq = this.#seq++;
    const frame = session.publish && ((id: number) => session.publish!(id, channel, seq, epochMs(), payload));
    if (!this.#env.profile.publishAcked) {
      this.#live();
      if (frame === undefined) throw new Error(`the ${this.#env.profile.name} profile has no publish`);
      this.#env.tally.sends++;
      this.#conn.socket.send(frame(0));
      return true;
    }
    const reply = await this.#operation("publish", frame);
    const ok = reply.op === "ack" && reply.ok;
    if (!ok) this.#env.errors.add("publish_refused", `publish to ${channel} refused: ${JSON.stringify(reply).slice(0, 120)}`);
    return ok;
  }

  sleep(ms: number): Promise<void> {
    this.#live();
    if (!(ms >= 0 && ms <= MAX_SLEEP_MS)) throw new RangeError(`sleep: ${ms} ms; allowed: 0 to ${MAX_SLEEP_MS} ms`);
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleeps.delete(wake);
        if (this.#stopped !== undefined) reject(new VuStopped(this.#stopped));
        else resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleeps.add(wake);
    });
  }

  think(minMs: number, maxMs: number): Promise<void> {
    if (!(minMs >= 0 && maxMs >= minMs)) throw new RangeError(`think: ${minMs}..${maxMs} ms; allowed: 0 ≤ min ≤ max ≤ ${MAX_SLEEP_MS}`);
    return this.sleep(minMs + Math.random() * (maxMs - minMs));
  }

  check(name: string, condition: unknown): boolean {
    if (typeof name !== "string" || name === "" || name.length > 100) {
      throw new RangeError(`check: a name of 1 to 100 characters; got ${JSON.stringify(name)}`);
    }
    const passed = Boolean(condition);
    this.#env.tally.check(name, passed);
    return passed;
  }

  metric(name: string): MetricRecorder {
    return metricRecorder(this.#env.tally, name);
  }
}
