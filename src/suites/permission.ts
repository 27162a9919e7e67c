/**
 * Permission suite. Wire: connections of every role (guest, subscriber,
 * publisher, admin) ask for subscribe and publish decisions on public, news
 * and private channels; each decision is timed and checked against the
 * documented policy, written out below as an independent oracle. A wrong allow
 * is a security failure and fails the suite whatever the speed. An observer
 * subscribed as admin to every channel the suite publishes to sees each
 * publish the server carried out, so a forbidden one is a wrong allow even
 * when no ack, or a refusal, came back. A decision never answered fails the
 * suite too: failing closed means an explicit deny. Engine: the RBAC check
 * alone.
 */
import { compilePolicy } from "../hub/mod.ts";
import { Histogram } from "../model/histogram.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { Ack, Delivery } from "../protocol/messages.ts";
import { type ConnectionSettings, tokenOf } from "../profiles/connection-settings.ts";
import { AUTH_ROLES, missing, type Profile } from "../profiles/profile.ts";
import { DEFAULT_POLICY, type Role } from "../protocol/policy.ts";
import { openEachServerPool, openSharePool, withPool } from "./_connections.ts";
import { awaitReplies } from "./_await-replies.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import { headlineRate, higher, latencies, lower, type MetricDeclarations, mustBeZero, plain } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.checks_per_s": headlineRate("RBAC checks", "checks/s", higher(300_000, 100_000)),
  "wire.decisions_per_s": headlineRate("allow/deny decisions", "decisions/s", higher(20_000, 5_000)),
  ...latencies("deny", "deny path", lower(10, 50)),
  "wire.wrong_allows": mustBeZero("wrong allows"),
  "wire.wrong_denies": mustBeZero("wrong denies"),
  ...latencies("allow", "allow path", undefined),
  "wire.allowed": plain("allowed", "decisions"),
  "wire.denied": plain("denied", "decisions"),
  "wire.authenticated": plain("authenticated connections", "connections"),
} satisfies MetricDeclarations;

type Case = { action: "sub" | "pub"; ch: string; allow: Record<Role, boolean> };

/** The policy of `src/protocol/policy.ts`, spelled out by hand so a bug there cannot vouch for itself. */
const CASES: readonly Case[] = [
  { action: "sub", ch: "public.perm", allow: { guest: true, subscriber: true, publisher: true, admin: true } },
  { action: "sub", ch: "news.perm", allow: { guest: false, subscriber: true, publisher: true, admin: true } },
  { action: "sub", ch: "private.perm", allow: { guest: false, subscriber: false, publisher: false, admin: true } },
  // publishes go to channels only the observer subscribes to
  { action: "pub", ch: "public.perm-pub", allow: { guest: false, subscriber: false, publisher: true, admin: true } },
  { action: "pub", ch: "news.perm-pub", allow: { guest: false, subscriber: false, publisher: true, admin: true } },
  { action: "pub", ch: "private.perm-pub", allow: { guest: false, subscriber: false, publisher: false, admin: true } },
];
const ROLES: readonly Role[] = ["guest", "subscriber", "publisher", "admin"];
const roleOf = (connIndex: number): Role => ROLES[connIndex % ROLES.length];
const caseOf = (cases: readonly Case[], connIndex: number, step: number): Case => cases[(connIndex + step) % cases.length];

/** The profile must frame every decision and read its answer; every role but guest needs a token. */
function unsupported(profile: Profile, connection: ConnectionSettings): string | undefined {
  const lacking = missing(profile, ["authenticate", "subscribe", "acks"]);
  if (lacking) return lacking;
  const untokened = AUTH_ROLES.filter((role) => tokenOf(profile, connection, role) === undefined);
  if (untokened.length > 0) return `no token for ${untokened.join(", ")} (--token role=TOKEN, or tokens in the profile)`;
  return undefined;
}

/** decisions per connection: a tenth of the level's messages, at least one round of the cases */
const decisionsPerConnection = (cases: readonly Case[], messages: number): number => Math.max(cases.length, Math.ceil(messages / 10));

/** Why publish decisions cannot be asked of `profile` (the suite then asks subscribe decisions only), or undefined when they can. */
function noPublishDecisions(profile: Profile): string | undefined {
  if (!profile.operations.includes("publish")) return `the ${profile.name} profile has no publish`;
  const server = `the ${profile.name} profile's server`;
  if (!profile.publishAcked) return `${server} does not answer a publish, so a publish decision cannot be read`;
  if (profile.publishRefusals === false) return `${server} cannot answer a refused publish: it closes the connection`;
  return undefined;
}

/**
 * This share's decisions, numbered `(connection − share.first) × perConnection + step`:
 * a publish carries its number as its seq, so the observer knows whose it is.
 */
class Decisions {
  readonly allowed = new Histogram();
  readonly denied = new Histogram();
  wrongAllows = 0;
  wrongDenies = 0;
  /** wrong allows the observer caught on decisions never answered */
  silent = 0;
  readonly #judged: Uint8Array;
  readonly #answered: Uint8Array;
  readonly #ctx: SuiteContext;
  readonly #perConnection: number;
  /** the cases asked: all of them, or the subscribe decisions alone when the profile cannot ask publish ones */
  readonly cases: readonly Case[];

  constructor(ctx: SuiteContext, cases: readonly Case[], perConnection: number) {
    this.#ctx = ctx;
    this.cases = cases;
    this.#perConnection = perConnection;
    this.#judged = new Uint8Array(ctx.share.count * perConnection);
    this.#answered = new Uint8Array(ctx.share.count * perConnection);
  }

  /** the publishes of each share go to channels of its own, which its observer alone watches */
  channel(c: Case): string {
    return c.action === "pub" ? `${c.ch}.s${this.#ctx.share.first}` : c.ch;
  }

  frame(conn: LoadConnection, step: number): Frame {
    const c = caseOf(this.cases, conn.index, step);
    const seq = (conn.index - this.#ctx.share.first) * this.#perConnection + step;
    return c.action === "sub" ? conn.session.subscribe!(step, c.ch) : conn.session.publish!(step, this.channel(c), seq, 0, "perm");
  }

  #wrongAllow(decision: number, why: string): void {
    if (this.#judged[decision]) return;
    this.#judged[decision] = 1;
    this.wrongAllows++;
    if (!this.#answered[decision]) this.silent++;
    this.#ctx.record.errors.add("wrong_allow", why);
  }

  answer(conn: LoadConnection, step: number, ack: Ack, ns: number): void {
    const c = caseOf(this.cases, conn.index, step);
    const role = roleOf(conn.index);
    const decision = (conn.index - this.#ctx.share.first) * this.#perConnection + step;
    this.#answered[decision] = 1;
    if (this.#judged[decision]) this.silent--;
    (ack.ok ? this.allowed : this.denied).record(ns);
    if (ack.ok && !c.allow[role]) this.#wrongAllow(decision, `${role} was allowed to ${c.action} ${c.ch}`);
    else if (!ack.ok && c.allow[role]) {
      this.wrongDenies++;
      this.#ctx.record.errors.add("wrong_deny", `${role} was refused ${c.action} ${c.ch} (${ack.code})`);
    }
  }

  /** a delivery the observer saw: the publish of decision `seq` was carried out */
  observe(d: Delivery): void {
    if (!Number.isInteger(d.seq) || d.seq < 0 || d.seq >= this.#judged.length) return;
    const conn = this.#ctx.share.first + Math.floor(d.seq / this.#perConnection);
    const c = caseOf(this.cases, conn, d.seq % this.#perConnection);
    const role = roleOf(conn);
    if (c.action !== "pub" || c.allow[role] || d.ch !== this.channel(c)) return;
    const unanswered = this.#answered[d.seq] ? "" : " although it was never answered";
    this.#wrongAllow(d.seq, `${role}'s publish to ${c.ch} reached a subscriber${unanswered}`);
  }
}

/** The observer: authenticated as admin, subscribed to every channel this share publishes to. */
async function watch(ctx: SuiteContext, observers: LoadConnection[], decisions: Decisions): Promise<void> {
  let watching = observers;
  for (const c of decisions.cases.filter((x) => x.action === "pub")) {
    watching = await awaitReplies(watching, (o) => o.session.subscribe!(0, decisions.channel(c)), ctx);
  }
  if (watching.length < observers.length) {
    ctx.record.note("the observer could not watch every channel: a forbidden publish carried out without an ack may go unseen");
  }
  for (const o of observers) {
    o.onReply = (reply) => {
      if (reply.op === "msg") decisions.observe(reply as Delivery);
    };
  }
}

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, plan, record, share } = ctx;
  const { profile, connection } = ctx;
  const noPublish = noPublishDecisions(profile);
  if (noPublish) record.note(`publish decisions skipped, because ${noPublish}: subscribe decisions only`);
  const cases = noPublish ? CASES.filter((c) => c.action === "sub") : CASES;
  const perConnection = decisionsPerConnection(cases, level.messagesPerConnection);
  const decisions = new Decisions(ctx, cases, perConnection);
  // the observer closes last: a publish carried out just before the end still reaches it
  const admin = tokenOf(profile, connection, "admin");
  // every connection authenticates with its role's token while it opens; a guest with none
  const roleToken = (index: number): string | undefined => {
    const role = roleOf(index);
    return role === "guest" ? undefined : tokenOf(profile, connection, role);
  };
  await withPool(ctx, openEachServerPool(ctx, () => admin), async (observers) => {
    if (observers.connections.length < new Set(share.urls).size) {
      record.note("the observer (admin) did not open everywhere: a forbidden publish may go unseen");
    }
    await watch(ctx, observers.connections, decisions);
    await withPool(ctx, openSharePool(ctx, roleToken), async (pool) => {
      record.count("wire", "authenticated", pool.connections.filter((c) => roleOf(c.index) !== "guest").length);
      const outcome = await runClosedLoop(pool.connections, {
        perConnection,
        window: plan.window,
        stallMs: plan.timeoutMs,
        signal: ctx.signal,
        errors: record.errors,
        watch: record.live.answered(share.count * perConnection),
        request: (conn, step) => decisions.frame(conn, step),
        reply(conn, step, reply, ns) {
          if (reply.op !== "ack") return record.errors.add("bad_reply", `expected an ack, got ${JSON.stringify(reply).slice(0, 120)}`);
          decisions.answer(conn, step, reply as Ack, ns);
        },
      });
      record.answered(outcome.completed, share.count * perConnection);
      record.rate("wire", "decisions_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
    });
  });
  const { allowed, denied } = decisions;
  const answered = allowed.count + denied.count;
  record.count("wire", "allowed", allowed.count);
  record.count("wire", "denied", denied.count);
  record.latency("deny", denied);
  record.latency("allow", allowed);
  // a decision seen carried out counts as one judged, answered or not
  record.count("wire", "wrong_allows", decisions.wrongAllows, answered + decisions.silent);
  record.count("wire", "wrong_denies", decisions.wrongDenies, answered);
}

async function engine(ctx: SuiteContext): Promise<void> {
  const rbac = compilePolicy(DEFAULT_POLICY);
  let i = 0;
  const timing = await timeEngine(() => {
    const c = CASES[i % CASES.length];
    return rbac.decide(ROLES[i++ & 3], c.action, c.ch);
  });
  ctx.record.value("engine", "checks_per_s", timing.opsPerSec);
}

export const permissionSuite: Suite = {
  name: "permission",
  shardable: true,
  unsupported,
  // at least one connection per role
  connectionsAt: (level) => Math.max(ROLES.length, level.connections),
  description: "allow/deny decisions/s per role, deny-path latency; any wrong allow is a hard failure; RBAC checks/s",
  answered: "decisions answered",
  wire,
  engine,
  metrics,
};
