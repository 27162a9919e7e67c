/**
 * The permission suite's decisions and their oracle: the policy written out
 * by hand, which role asks what of which channel, and the bookkeeping that
 * judges every answer. A capacity decision is numbered
 * `(connection − share.first) × perConnection + step`; a paced one (request
 * `id` of the paced phase) `base + id`, after every capacity decision. A
 * publish carries its number as its seq, so the observer knows whose it is.
 */
import { Histogram } from "../model/histogram.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Ack, Delivery } from "../protocol/messages.ts";
import type { Role } from "../protocol/policy.ts";
import type { SuiteContext } from "./suite.ts";

export type Case = { action: "sub" | "pub"; ch: string; allow: Record<Role, boolean> };

/** The policy of `src/protocol/policy.ts`, spelled out by hand so a bug there cannot vouch for itself. */
export const CASES: readonly Case[] = [
  { action: "sub", ch: "public.perm", allow: { guest: true, subscriber: true, publisher: true, admin: true } },
  { action: "sub", ch: "news.perm", allow: { guest: false, subscriber: true, publisher: true, admin: true } },
  { action: "sub", ch: "private.perm", allow: { guest: false, subscriber: false, publisher: false, admin: true } },
  // publishes go to channels only the observer subscribes to
  { action: "pub", ch: "public.perm-pub", allow: { guest: false, subscriber: false, publisher: true, admin: true } },
  { action: "pub", ch: "news.perm-pub", allow: { guest: false, subscriber: false, publisher: true, admin: true } },
  { action: "pub", ch: "private.perm-pub", allow: { guest: false, subscriber: false, publisher: false, admin: true } },
];
export const ROLES: readonly Role[] = ["guest", "subscriber", "publisher", "admin"];
export const roleOf = (connIndex: number): Role => ROLES[connIndex % ROLES.length];
const caseOf = (cases: readonly Case[], connIndex: number, step: number): Case => cases[(connIndex + step) % cases.length];

/** One decision: its number (a publish's seq), the connection's index, its step there and its case. */
export type Decision = { seq: number; conn: number; step: number; c: Case };

export class Decisions {
  /** the capacity phase's decisions: the queue the closed loop built */
  readonly queued = new Histogram();
  /** the paced phase's, by answer: the latency judged */
  readonly allowed = new Histogram();
  readonly denied = new Histogram();
  /** answers of both phases, by what they said */
  allows = 0;
  denies = 0;
  wrongAllows = 0;
  wrongDenies = 0;
  /** wrong allows the observer caught on decisions never answered */
  silent = 0;
  #judged: Uint8Array;
  #answered: Uint8Array;
  readonly #ctx: SuiteContext;
  readonly #perConnection: number;
  readonly #base: number;
  /** the paced phase's connections, by the slot its requests go round */
  #paced: readonly LoadConnection[] = [];

  /** the cases asked: all of them, or the subscribe decisions alone when the profile cannot ask publish ones */
  readonly cases: readonly Case[];

  constructor(ctx: SuiteContext, cases: readonly Case[], perConnection: number) {
    this.cases = cases;
    this.#ctx = ctx;
    this.#perConnection = perConnection;
    this.#base = ctx.share.count * perConnection;
    this.#judged = new Uint8Array(this.#base);
    this.#answered = new Uint8Array(this.#base);
  }

  /** the publishes of each share go to channels of its own, which its observer alone watches */
  channel(c: Case): string {
    return c.action === "pub" ? `${c.ch}.s${this.#ctx.share.first}` : c.ch;
  }

  capacity(conn: LoadConnection, step: number): Decision {
    const seq = (conn.index - this.#ctx.share.first) * this.#perConnection + step;
    return { seq, conn: conn.index, step, c: caseOf(this.cases, conn.index, step) };
  }

  /** Makes room for `total` paced decisions, request `id` on `connections[id % n]`, after the capacity phase's. */
  pace(connections: readonly LoadConnection[], total: number): void {
    const widen = (a: Uint8Array): Uint8Array => {
      const wider = new Uint8Array(this.#base + total);
      wider.set(a);
      return wider;
    };
    this.#judged = widen(this.#judged);
    this.#answered = widen(this.#answered);
    this.#paced = connections;
  }

  paced(id: number): Decision {
    const n = this.#paced.length;
    const conn = this.#paced[id % n].index;
    const step = this.#perConnection + Math.floor(id / n);
    return { seq: this.#base + id, conn, step, c: caseOf(this.cases, conn, step) };
  }

  /** the frame of decision `d` on `conn`'s session */
  frame(conn: LoadConnection, d: Decision, protocolId: number): Frame {
    const { session } = conn;
    return d.c.action === "sub"
      ? session.subscribe!(protocolId, d.c.ch)
      : session.publish!(protocolId, this.channel(d.c), d.seq, 0, "perm");
  }

  #wrongAllow(seq: number, why: string): void {
    if (this.#judged[seq]) return;
    this.#judged[seq] = 1;
    this.wrongAllows++;
    if (!this.#answered[seq]) this.silent++;
    this.#ctx.record.errors.add("wrong_allow", why);
  }

  /** Judges an answer, and records its latency (ns) in `latency`, or by the answer in the paced phase's histograms. */
  answer(d: Decision, ack: Ack, ns: number, latency?: Histogram): void {
    const role = roleOf(d.conn);
    this.#answered[d.seq] = 1;
    if (this.#judged[d.seq]) this.silent--;
    (latency ?? (ack.ok ? this.allowed : this.denied)).record(ns);
    if (ack.ok) this.allows++;
    else this.denies++;
    if (ack.ok && !d.c.allow[role]) this.#wrongAllow(d.seq, `${role} was allowed to ${d.c.action} ${d.c.ch}`);
    else if (!ack.ok && d.c.allow[role]) {
      this.wrongDenies++;
      this.#ctx.record.errors.add("wrong_deny", `${role} was refused ${d.c.action} ${d.c.ch} (${ack.code})`);
    }
  }

  /** a delivery the observer saw: the publish of decision `seq` was carried out */
  observe(d: Delivery): void {
    if (!Number.isInteger(d.seq) || d.seq < 0 || d.seq >= this.#judged.length) return;
    const decision = d.seq < this.#base ? this.#ofCapacity(d.seq) : this.paced(d.seq - this.#base);
    const role = roleOf(decision.conn);
    const c = decision.c;
    if (c.action !== "pub" || c.allow[role] || d.ch !== this.channel(c)) return;
    const unanswered = this.#answered[d.seq] ? "" : " although it was never answered";
    this.#wrongAllow(d.seq, `${role}'s publish to ${c.ch} reached a subscriber${unanswered}`);
  }

  #ofCapacity(seq: number): Decision {
    const conn = this.#ctx.share.first + Math.floor(seq / this.#perConnection);
    const step = seq % this.#perConnection;
    return { seq, conn, step, c: caseOf(this.cases, conn, step) };
  }
}
