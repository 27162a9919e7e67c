/**
 * Permission suite. Wire: connections of every role (guest, subscriber,
 * publisher, admin) ask for subscribe and publish decisions on public, news
 * and private channels; each decision is timed and checked against the
 * documented policy, written out below as an independent oracle. A wrong allow
 * is a security failure and fails the suite whatever the speed. Engine: the
 * RBAC check alone.
 */
import { compilePolicy } from "../hub/mod.ts";
import { Histogram } from "../model/histogram.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import type { Ack } from "../protocol/messages.ts";
import { type ConnectionSettings, tokenOf } from "../profiles/connection-settings.ts";
import { AUTH_ROLES, type AuthRole, missing, type Profile } from "../profiles/profile.ts";
import { DEFAULT_POLICY, type Role } from "../protocol/policy.ts";
import { openSharePool, withPool } from "./_connections.ts";
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
  // publishes go to channels nobody subscribes to, so allowed ones cause no fan-out
  { action: "pub", ch: "public.perm-pub", allow: { guest: false, subscriber: false, publisher: true, admin: true } },
  { action: "pub", ch: "news.perm-pub", allow: { guest: false, subscriber: false, publisher: true, admin: true } },
  { action: "pub", ch: "private.perm-pub", allow: { guest: false, subscriber: false, publisher: false, admin: true } },
];
const ROLES: readonly Role[] = ["guest", "subscriber", "publisher", "admin"];
const roleOf = (connIndex: number): Role => ROLES[connIndex % ROLES.length];

const frameFor = (profile: Profile, c: Case, id: number): string =>
  c.action === "sub" ? profile.subscribe!(id, c.ch) : profile.publish!(id, c.ch, id, 0, "perm");

/** The profile must frame every decision and read its answer; every role but guest needs a token. */
function unsupported(profile: Profile, connection: ConnectionSettings): string | undefined {
  const lacking = missing(profile, ["authenticate", "subscribe", "publish", "acks"]);
  if (lacking) return lacking;
  if (!profile.publishAcked) return `the ${profile.name} profile's server does not answer a publish, so a publish decision cannot be read`;
  const untokened = AUTH_ROLES.filter((role) => tokenOf(profile, connection, role) === undefined);
  if (untokened.length > 0) return `no token for ${untokened.join(", ")} (--token role=TOKEN, or tokens in the profile)`;
  return undefined;
}

/** decisions per connection: a tenth of the level's messages, at least one round of the cases */
const decisionsPerConnection = (messages: number): number => Math.max(CASES.length, Math.ceil(messages / 10));

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, plan, record } = ctx;
  const perConnection = decisionsPerConnection(level.messagesPerConnection);
  const allowed = new Histogram();
  const denied = new Histogram();
  let wrongAllows = 0;
  let wrongDenies = 0;
  await withPool(ctx, openSharePool(ctx), async (pool) => {
    const authed = await awaitReplies(
      pool.connections.filter((c) => roleOf(c.index) !== "guest"),
      (c) => ctx.profile.authenticate!(0, tokenOf(ctx.profile, ctx.connection, roleOf(c.index) as AuthRole)!),
      ctx,
    );
    record.count("wire", "authenticated", authed);
    const outcome = await runClosedLoop(pool.connections, {
      perConnection,
      window: plan.window,
      stallMs: plan.timeoutMs,
      signal: ctx.signal,
      errors: record.errors,
      request: (conn, step) => frameFor(ctx.profile, CASES[(conn.index + step) % CASES.length], step),
      reply(conn, step, reply, ns) {
        const c = CASES[(conn.index + step) % CASES.length];
        const role = roleOf(conn.index);
        if (reply.op !== "ack") return record.errors.add("bad_reply", `expected an ack, got ${JSON.stringify(reply).slice(0, 120)}`);
        const ok = (reply as Ack).ok;
        (ok ? allowed : denied).record(ns);
        if (ok && !c.allow[role]) {
          wrongAllows++;
          record.errors.add("wrong_allow", `${role} was allowed to ${c.action} ${c.ch}`);
        } else if (!ok && c.allow[role]) {
          wrongDenies++;
          record.errors.add("wrong_deny", `${role} was refused ${c.action} ${c.ch} (${(reply as Ack).code})`);
        }
      },
    });
    record.rate("wire", "decisions_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
    record.count("wire", "allowed", allowed.count);
    record.count("wire", "denied", denied.count);
    record.latency("deny", denied);
    record.latency("allow", allowed);
    record.count("wire", "wrong_allows", wrongAllows);
    record.count("wire", "wrong_denies", wrongDenies);
  });
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
  wire,
  engine,
  metrics,
};
