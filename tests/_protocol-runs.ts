/**
 * What the protocol-profile tests share: the counts a level plans, written
 * out here so they do not vouch for the suites that make them, and the reading
 * of a result's figures.
 */
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import type { LevelResult, SuiteResult } from "../mod.ts";
import { findExecutable } from "../src/host/executables.ts";
import { type Spawned, spawnServer } from "./_spawn-server.ts";

export const wire = (s: SuiteResult, key: string): number | undefined => s.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;
export const errorsOf = (s: SuiteResult): string[] => s.errors.map((e) => `${e.class} × ${e.count}`);
export const suiteOf = (level: LevelResult, name: string): SuiteResult => level.suites.find((s) => s.suite === name)!;

/** A real protocol server on Node (tests/fixtures/protocol-server.ts), with options (faults, the ping) as it takes them. */
export function useProtocolServer(kind: "graphql-ws" | "mqtt", options: object): { server: Spawned } {
  const used = {} as { server: Spawned };
  const fixture = fileURLToPath(new URL("./fixtures/protocol-server.ts", import.meta.url));
  before(async () => {
    used.server = await spawnServer(findExecutable("node")!, [fixture, kind, JSON.stringify(options)]);
  });
  after(() => used.server?.stop());
  return used;
}

/** The levels these tests run, as the seed's table has them. */
export const LEVELS = {
  minimal: { connections: 10, messages: 100, subscribers: 5, operations: 1_000 },
  light: { connections: 100, messages: 100, subscribers: 20, operations: 10_000 },
} as const;
export type LevelName = keyof typeof LEVELS;

type Role = "guest" | "subscriber" | "publisher" | "admin";
const ROLES: Role[] = ["guest", "subscriber", "publisher", "admin"];
/** the reference policy's decisions, in the permission suite's case order: three subscribes, then three publishes */
const ALLOW: Record<Role, boolean[]> = {
  guest: [true, false, false, false, false, false],
  subscriber: [true, true, false, false, false, false],
  publisher: [true, true, false, true, true, false],
  admin: [true, true, true, true, true, true],
};

/**
 * The permission suite's decisions at `level`: connection `i` has role `i mod 4` and asks case `(i + step) mod cases`
 * for 10 steps; `subscribeOnly` leaves the publish cases out. `privateForGuests` counts what a server that lets guests
 * subscribe to private.* wrongly allows.
 */
export function permissionDecisions(
  level: LevelName,
  subscribeOnly: boolean,
  paced = 0,
): { allowed: number; denied: number; guestsIntoPrivate: number } {
  const cases = subscribeOnly ? 3 : 6;
  const connections = Math.max(4, LEVELS[level].connections);
  const steps = Math.max(cases, Math.ceil(LEVELS[level].messages / 10));
  let allowed = 0, denied = 0, guestsIntoPrivate = 0;
  const decide = (i: number, step: number): void => {
    const role = ROLES[i % 4];
    const c = (i + step) % cases;
    if (ALLOW[role][c]) allowed++;
    else denied++;
    if (role === "guest" && c === 2) guestsIntoPrivate++;
  };
  for (let i = 0; i < connections; i++) for (let step = 0; step < steps; step++) decide(i, step);
  // the paced phase's decision `id` goes to connection id mod n, as its step `steps + id ÷ n` (`_permission-decisions.ts`)
  for (let id = 0; id < paced; id++) decide(id % connections, steps + Math.floor(id / connections));
  return { allowed, denied, guestsIntoPrivate };
}

/** How many requests a suite's paced phase had answered: the samples behind its paced rate. */
export const pacedAnswered = (s: SuiteResult): number => s.metrics.find((m) => m.layer === "wire" && m.key === "paced_per_s")?.samples ?? 0;

/** Every suite of a level ran (or was skipped with `skipped`'s reason) with no error and every planned thing done. */
export function assertClean(level: LevelResult, skipped: Record<string, RegExp> = {}): void {
  for (const s of level.suites) {
    const where = `${level.level.name} ${s.suite}`;
    if (skipped[s.suite]) {
      assert.equal(s.status, "skipped", where);
      assert.match(s.reason ?? "", skipped[s.suite], where);
      continue;
    }
    assert.deepEqual(errorsOf(s), [], `${where}: ${s.notes.join(" | ")}`);
    assert.equal(s.status, "ok", where);
    assert.equal(wire(s, "answered_pct"), 100, where);
  }
}

/** The counts every level of a clean run must show, exactly: round trips, acks, deliveries, decisions. */
export function assertExactCounts(level: LevelResult, name: LevelName, subscribeOnly: boolean): void {
  const l = LEVELS[name];
  const message = suiteOf(level, "message");
  // the capacity phase's counts are the level's; the paced phase's, set by the capacity measured, are its samples
  assert.equal(message.histograms["wire.queued_rtt"].count, l.connections * l.messages, `${name} round trips`);
  assert.equal(message.histograms["wire.rtt"].count, pacedAnswered(message), `${name} paced round trips`);
  const subscription = suiteOf(level, "subscription");
  assert.equal(
    subscription.histograms["wire.queued_ack"].count,
    l.connections * (l.messages / 10) * 2,
    `${name} subscribe and unsubscribe acks`,
  );
  assert.equal(subscription.histograms["wire.ack"].count, pacedAnswered(subscription), `${name} paced acks`);
  const broadcast = suiteOf(level, "broadcast");
  const deliveries = Math.floor(l.operations / l.subscribers) * l.subscribers;
  assert.equal(broadcast.histograms["wire.queued_latency"].count, deliveries, `${name} deliveries`);
  assert.equal(wire(broadcast, "lost"), 0);
  assert.equal(wire(broadcast, "duplicated"), 0);
  assert.equal(wire(broadcast, "subscribers"), l.subscribers);
  const permission = suiteOf(level, "permission");
  const expected = permissionDecisions(name, subscribeOnly, pacedAnswered(permission));
  assert.equal(wire(permission, "denied"), expected.denied, `${name} refusals counted as denies`);
  assert.equal(wire(permission, "allowed"), expected.allowed, `${name} allows`);
  assert.equal(wire(permission, "wrong_allows"), 0);
  assert.equal(wire(permission, "wrong_denies"), 0);
}
