/**
 * Who may do what, and what happens when a connection's role changes: the
 * RBAC table against a hand-written oracle, and re-authentication in both
 * directions (a lowered role loses the channels it may no longer hold).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  compilePolicy,
  type CountingPeer,
  createCountingPeer,
  createHub,
  createMemoryFanout,
  type Fanout,
  type Hub,
  type HubOptions,
  type Peer,
} from "../src/hub/mod.ts";
import type { Action, Reply } from "../src/protocol/messages.ts";
import { DEFAULT_POLICY, type Policy, type Role, tokenFor } from "../src/protocol/policy.ts";

type Setup = { hub: Hub<CountingPeer>; peer: (role?: Role) => CountingPeer };

function setup(options: HubOptions = {}): Setup {
  const hub = createHub<CountingPeer>(options);
  const policy = options.policy ?? DEFAULT_POLICY;
  const peer = (role: Role = "guest"): CountingPeer => {
    const p = createCountingPeer();
    hub.open(p);
    if (role !== "guest") hub.message(p, JSON.stringify({ op: "auth", id: 0, token: tokenFor(role, policy) }));
    return p;
  };
  return { hub, peer };
}

/** Sends one frame and returns the peer's last reply, parsed. */
type Answer = Reply & { ok?: boolean; code?: string; role?: string; dropped?: string[]; n?: number };

function ask(hub: Hub<CountingPeer>, peer: CountingPeer, frame: object): Answer {
  const before = peer.received;
  hub.message(peer, JSON.stringify(frame));
  assert.equal(peer.received, before + 1, "every request gets exactly one reply");
  return JSON.parse(peer.last);
}

const pub = (ch: string, seq = 0) => ({ op: "pub", id: 9, ch, seq, ts: 1234.5, p: `payload ${seq}` });
const auth = (token: string, id = 5) => ({ op: "auth", id, token });

/** The default policy plus a token that makes a connection a guest again. */
const WITH_GUEST_TOKEN: Policy = { ...DEFAULT_POLICY, tokens: { ...DEFAULT_POLICY.tokens, "guest-token": "guest" } };

describe("hub RBAC", () => {
  it("RBAC answers every role × operation × channel class as the default policy says, written out by hand", () => {
    // the oracle: which channel classes each role may sub and pub; unsub, echo and stats are open to all
    const classes = {
      public: "public.a",
      nested: "public.a.b",
      news: "news.a",
      other: "secret.a",
      bare: "public",
      lookalike: "publicity.a",
    };
    type Class = keyof typeof classes;
    const may: Record<Role, Record<"sub" | "pub", Class[]>> = {
      guest: { sub: ["public", "nested"], pub: [] },
      subscriber: { sub: ["public", "nested", "news"], pub: [] },
      publisher: { sub: ["public", "nested", "news"], pub: ["public", "nested", "news"] },
      admin: { sub: Object.keys(classes) as Class[], pub: Object.keys(classes) as Class[] },
    };
    const { hub, peer } = setup();
    let checked = 0;
    for (const role of Object.keys(may) as Role[]) {
      const p = peer(role);
      for (const op of ["sub", "unsub", "pub", "echo", "stats"] as const) {
        for (const [cls, ch] of Object.entries(classes) as Array<[Class, string]>) {
          const frame = op === "pub" ? pub(ch) : op === "echo" ? { op, id: 3, p: ch } : op === "stats" ? { op, id: 3 } : { op, id: 3, ch };
          const reply = ask(hub, p, frame) as Reply & { ok?: boolean; code?: string };
          const expected = op === "sub" || op === "pub" ? may[role][op].includes(cls) : true;
          const what = `${role} ${op} ${ch}`;
          if (op === "echo") assert.equal(reply.op, "echo", what);
          else assert.equal(reply.ok, expected, what);
          if (!expected) assert.equal(reply.code, "forbidden", what);
          checked++;
        }
      }
    }
    assert.equal(checked, 4 * 5 * 6);
  });

  it("with requireAuth a guest's sub and pub are unauthenticated whatever the channel, and its unsub is still answered ok", () => {
    const { hub, peer } = setup({ requireAuth: true });
    const p = peer();
    for (const ch of ["public.a", "news.a", "secret.a"]) {
      for (const frame of [{ op: "sub", id: 1, ch }, pub(ch)]) {
        assert.deepEqual(ask(hub, p, frame), { op: "ack", id: frame.id, ok: false, code: "unauthenticated" });
      }
      assert.deepEqual(ask(hub, p, { op: "unsub", id: 2, ch }), { op: "ack", id: 2, ok: true });
    }
  });

  it("open actions are allowed to every role, guests included", () => {
    const rbac = compilePolicy(DEFAULT_POLICY);
    for (const action of ["echo", "auth", "stats"] as Action[]) assert.ok(rbac.decide("guest", action, ""));
  });

  it("channel patterns match a prefix with its dot at any depth, * everything, anything else exactly", () => {
    const rbac = compilePolicy({
      roles: {
        guest: { actions: ["sub"], channels: ["news.*", "lobby"] },
        subscriber: { actions: "*", channels: ["*"] },
        publisher: { actions: ["pub"], channels: [] },
        admin: { actions: [], channels: ["*"] },
      },
      tokens: {},
    });
    assert.ok(rbac.decide("guest", "sub", "news.sport"));
    assert.ok(rbac.decide("guest", "sub", "news.sport.live"));
    assert.ok(rbac.decide("guest", "sub", "lobby"));
    assert.ok(!rbac.decide("guest", "sub", "news"), "the prefix without its dot");
    assert.ok(!rbac.decide("guest", "sub", "newsletter.x"), "a longer word sharing the prefix");
    assert.ok(!rbac.decide("guest", "sub", "lobby.x"), "an exact pattern is no prefix");
    assert.ok(!rbac.decide("guest", "pub", "news.sport"), "an action the role lacks");
    assert.ok(rbac.decide("subscriber", "pub", "anything.at.all"));
    assert.ok(!rbac.decide("publisher", "pub", "news.sport"), "no channels, nothing allowed");
    assert.ok(!rbac.decide("admin", "sub", "x"), "no actions, nothing allowed");
  });

  it("re-auth to a lower role drops the channels it may no longer hold, says which in the ack, and stops their deliveries", () => {
    const { hub, peer } = setup();
    const p = peer("admin");
    const admin = peer("admin");
    for (const ch of ["secret.x", "news.x", "public.x", "secret.y"]) assert.equal(ask(hub, p, { op: "sub", id: 1, ch }).ok, true, ch);
    const ack = ask(hub, p, auth("subscriber-token"));
    assert.deepEqual(ack, { op: "ack", id: 5, ok: true, role: "subscriber", dropped: ["secret.x", "secret.y"] });
    assert.deepEqual([...p.channels].sort(), ["news.x", "public.x"]);
    assert.equal(hub.channels, 2, "the channel table forgot the dropped channels");
    const before = p.received;
    assert.equal(ask(hub, admin, pub("secret.x")).n, 0, "nobody is left on secret.x");
    assert.equal(ask(hub, admin, pub("news.x")).n, 1);
    assert.equal(p.received, before + 1, "one delivery: news.x, not secret.x");
    assert.equal(JSON.parse(p.last).ch, "news.x");
    const left = ask(hub, p, { op: "unsub", id: 6, ch: "secret.x" });
    assert.deepEqual(left, { op: "ack", id: 6, ok: true }, "leaving is allowed, even a channel it may not join");
    assert.equal(ask(hub, p, { op: "sub", id: 7, ch: "secret.x" }).code, "forbidden", "and it may not come back");
  });

  it("re-auth to a higher role keeps every channel, adds none to the ack, and opens the ones the role allows", () => {
    const { hub, peer } = setup();
    const p = peer();
    ask(hub, p, { op: "sub", id: 1, ch: "public.x" });
    assert.equal(ask(hub, p, { op: "sub", id: 2, ch: "secret.x" }).code, "forbidden");
    const ack = ask(hub, p, auth("admin-token"));
    assert.deepEqual(ack, { op: "ack", id: 5, ok: true, role: "admin" }, "no dropped field when nothing was dropped");
    assert.deepEqual([...p.channels], ["public.x"]);
    assert.equal(ask(hub, p, { op: "sub", id: 3, ch: "secret.x" }).ok, true);
    assert.equal(ask(hub, peer("admin"), pub("secret.x")).n, 1);
  });

  it("walks down every role one step at a time, each step dropping exactly what the next role may not hold", () => {
    const { hub, peer } = setup({ policy: WITH_GUEST_TOKEN });
    const p = peer("admin");
    for (const ch of ["public.a", "news.a", "secret.a"]) ask(hub, p, { op: "sub", id: 1, ch });
    assert.deepEqual(ask(hub, p, auth("publisher-token")).dropped, ["secret.a"]);
    assert.equal(ask(hub, p, auth("subscriber-token")).dropped, undefined, "publisher and subscriber may hold the same channels");
    assert.deepEqual(ask(hub, p, auth("guest-token")).dropped, ["news.a"]);
    assert.deepEqual([...p.channels], ["public.a"]);
    assert.equal(hub.channels, 1);
  });

  it("with requireAuth, re-auth to guest drops every channel, since a guest may hold none", () => {
    const { hub, peer } = setup({ policy: WITH_GUEST_TOKEN, requireAuth: true });
    const p = peer("subscriber");
    for (const ch of ["public.a", "news.a"]) assert.equal(ask(hub, p, { op: "sub", id: 1, ch }).ok, true);
    assert.deepEqual(ask(hub, p, auth("guest-token")), { op: "ack", id: 5, ok: true, role: "guest", dropped: ["public.a", "news.a"] });
    assert.equal(p.channels.size, 0);
    assert.equal(hub.channels, 0);
    assert.deepEqual(ask(hub, p, { op: "unsub", id: 6, ch: "public.a" }), { op: "ack", id: 6, ok: true });
  });

  it("a refused re-auth keeps the role and every channel", () => {
    const { hub, peer } = setup();
    const p = peer("admin");
    ask(hub, p, { op: "sub", id: 1, ch: "secret.x" });
    assert.equal(ask(hub, p, auth("wrong")).code, "unauthenticated");
    assert.equal(p.role, "admin");
    assert.deepEqual([...p.channels], ["secret.x"]);
  });

  it("a dropped channel goes through the adapter's fanout, as an unsub would", () => {
    const calls: string[] = [];
    const inner = createMemoryFanout<Peer>();
    const fanout: Fanout<Peer> = { ...inner, unsubscribe: (p, ch) => (calls.push(`unsub ${ch}`), inner.unsubscribe(p, ch)) };
    const hub = createHub<Peer>({}, { runtime: "native", memory: () => ({ rssBytes: 1, heapUsedBytes: 1 }), fanout });
    const p = createCountingPeer();
    hub.open(p);
    hub.message(p, JSON.stringify(auth("admin-token")));
    hub.message(p, '{"op":"sub","id":1,"ch":"secret.x"}');
    hub.message(p, JSON.stringify(auth("subscriber-token")));
    assert.deepEqual(calls, ["unsub secret.x"]);
    assert.equal(inner.channelCount(), 0);
  });
});
