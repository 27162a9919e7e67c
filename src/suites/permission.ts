/**
 * Permission suite. Wire: connections of every role (guest, subscriber,
 * publisher, admin) ask for subscribe and publish decisions on public, news
 * and private channels; each decision is checked against the documented
 * policy, written out as an independent oracle (`_permission-decisions.ts`).
 * Capacity first, closed loop with `plan.window` in flight (decisions/s, and
 * the queue it builds), then latency at load: the same decisions paced at
 * half that capacity, each timed from its own intended send time, allow and
 * deny path apart; the deny path is judged. A wrong allow is a security
 * failure and fails the suite whatever the speed. An observer subscribed as
 * admin to every channel the suite publishes to sees each publish the server
 * carried out, so a forbidden one is a wrong allow even when no ack, or a
 * refusal, came back. A decision never answered fails the suite too: failing
 * closed means an explicit deny. Engine: the RBAC check alone.
 */
import { compilePolicy } from "../hub/mod.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Ack, Delivery, Reply } from "../protocol/messages.ts";
import { type ConnectionSettings, tokenOf } from "../profiles/connection-settings.ts";
import { AUTH_ROLES, missing, type Profile } from "../profiles/profile.ts";
import { DEFAULT_POLICY } from "../protocol/policy.ts";
import { openEachServerPool, openSharePool, withPool } from "./_connections.ts";
import { awaitReplies } from "./_await-replies.ts";
import { capacityOf, inPhase, pacedPhase, pacedPlan } from "./_load-phases.ts";
import { type Case, CASES, type Decision, Decisions, roleOf, ROLES } from "./_permission-decisions.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import { headlineRate, higher, latencies, loadSplit, lower, type MetricDeclarations, mustBeZero, plain, queueing } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.checks_per_s": headlineRate("RBAC checks", "checks/s", higher(300_000, 100_000)),
  "wire.decisions_per_s": headlineRate("allow/deny decisions (capacity)", "decisions/s", higher(20_000, 5_000)),
  ...queueing("queued_decision", "closed-loop decision (queueing)"),
  ...latencies("deny", "deny path at load", lower(10, 50)),
  "wire.wrong_allows": mustBeZero("wrong allows"),
  "wire.wrong_denies": mustBeZero("wrong denies"),
  ...latencies("allow", "allow path at load", undefined),
  ...loadSplit("decisions/s"),
  "wire.allowed": plain("allowed", "decisions"),
  "wire.denied": plain("denied", "decisions"),
  "wire.authenticated": plain("authenticated connections", "connections"),
} satisfies MetricDeclarations;

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

/** Judges a decision's answer: an ack, recorded in `latency` or by its answer in the paced phase's. */
function judge(ctx: SuiteContext, decisions: Decisions, d: Decision, reply: Reply, ns: number, latency?: Decisions["queued"]): void {
  if (reply.op !== "ack") return ctx.record.errors.add("bad_reply", `expected an ack, got ${JSON.stringify(reply).slice(0, 120)}`);
  decisions.answer(d, reply as Ack, ns, latency);
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
      const outcome = await inPhase(ctx, "capacity", () =>
        runClosedLoop(pool.connections, {
          perConnection,
          window: plan.window,
          stallMs: plan.timeoutMs,
          signal: ctx.signal,
          errors: record.errors,
          watch: record.live.answered(share.count * perConnection),
          request: (conn, step) => decisions.frame(conn, decisions.capacity(conn, step), step),
          reply: (conn, step, reply, ns) => judge(ctx, decisions, decisions.capacity(conn, step), reply, ns, decisions.queued),
        }));
      record.answered(outcome.completed, share.count * perConnection);
      record.rate("wire", "decisions_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
      const capacity = await capacityOf(ctx, outcome, pool.connections.length, Math.min(plan.window, perConnection));
      const paced = pacedPlan(ctx, capacity, permissionSuite.connectionsAt!(level));
      if (!paced) return;
      decisions.pace(pool.connections, paced.total);
      await pacedPhase(ctx, pool.connections, paced, {
        key: "deny",
        what: "decisions",
        request: (conn, id) => decisions.frame(conn, decisions.paced(id), id),
        reply: (_conn, id, reply, ns) => judge(ctx, decisions, decisions.paced(id), reply, ns),
      }, false);
    });
  });
  const { allowed, denied, queued } = decisions;
  const answered = decisions.allows + decisions.denies;
  record.count("wire", "allowed", decisions.allows);
  record.count("wire", "denied", decisions.denies);
  record.latency("queued_decision", queued);
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
  description:
    "capacity in allow/deny decisions/s per role (closed loop), deny-path latency at a paced load; any wrong allow is a hard failure; RBAC checks/s",
  answered: "decisions answered",
  split: { capacity: "decisions_per_s", queued: "queued_decision", paced: ["deny", "allow"] },
  wire,
  engine,
  metrics,
};
