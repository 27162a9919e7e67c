/** The hub driven in-process with counting peers: no sockets, no runtime. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type CountingPeer, createCountingPeer, createHub, createMemoryFanout, type Fanout, type Hub, type Peer } from "../src/hub/mod.ts";
import type { Reply } from "../src/protocol/messages.ts";
import { type Role, tokenFor } from "../src/protocol/policy.ts";

type Setup = { hub: Hub<CountingPeer>; peer: (role?: Role) => CountingPeer };

function setup(maxFrameBytes?: number): Setup {
  const hub = createHub<CountingPeer>({ maxFrameBytes }, { runtime: "test", memory: () => ({ rssBytes: 123, heapUsedBytes: 45 }) });
  const peer = (role: Role = "guest"): CountingPeer => {
    const p = createCountingPeer();
    hub.open(p);
    if (role !== "guest") hub.message(p, JSON.stringify({ op: "auth", id: 0, token: tokenFor(role) }));
    return p;
  };
  return { hub, peer };
}

/** Sends one frame and returns the peer's last reply, parsed. */
function ask(hub: Hub<CountingPeer>, peer: CountingPeer, frame: object | string): Reply {
  const before = peer.received;
  hub.message(peer, typeof frame === "string" ? frame : JSON.stringify(frame));
  assert.equal(peer.received, before + 1, "every request gets exactly one reply");
  return JSON.parse(peer.last);
}

const pub = (ch: string, seq = 0) => ({ op: "pub", id: 9, ch, seq, ts: 1234.5, p: `payload ${seq}` });

describe("hub", () => {
  it("echo replies with the same id and payload, escaping included", () => {
    const { hub, peer } = setup();
    const p = 'quote " backslash \\ newline \n unicode é 😀 separator \u2028';
    assert.deepEqual(ask(hub, peer(), { op: "echo", id: 7, p }), { op: "echo", id: 7, p });
  });

  it("auth with a known token sets the role and acks it", () => {
    const { hub, peer } = setup();
    const p = peer();
    assert.deepEqual(ask(hub, p, { op: "auth", id: 1, token: "publisher-token" }), { op: "ack", id: 1, ok: true, role: "publisher" });
    assert.equal(p.role, "publisher");
  });

  it("auth with an unknown token is refused as unauthenticated and leaves the role unchanged", () => {
    const { hub, peer } = setup();
    const p = peer("subscriber");
    for (const token of ["nope", "__proto__", "constructor", ""]) {
      assert.deepEqual(ask(hub, p, { op: "auth", id: 2, token }), { op: "ack", id: 2, ok: false, code: "unauthenticated" });
      assert.equal(p.role, "subscriber");
    }
  });

  it("publish reaches exactly the subscribers, with one identical delivery each, and acks n", () => {
    const { hub, peer } = setup();
    const subs = [peer(), peer(), peer()];
    const outsider = peer();
    const publisher = peer("publisher");
    for (const s of subs) ask(hub, s, { op: "sub", id: 1, ch: "public.room" });
    ask(hub, outsider, { op: "sub", id: 1, ch: "public.other" });
    const outsiderBefore = outsider.received;

    assert.deepEqual(ask(hub, publisher, pub("public.room", 42)), { op: "ack", id: 9, ok: true, n: 3 });
    assert.equal(outsider.received, outsiderBefore, "a subscriber of another channel gets nothing");
    for (const s of subs) {
      assert.equal(s.received, 2, "one sub ack and one delivery");
      assert.equal(s.last, subs[0].last);
    }
    assert.deepEqual(JSON.parse(subs[0].last), { op: "msg", ch: "public.room", seq: 42, ts: 1234.5, p: "payload 42" });
  });

  it("publish serialises the delivery once, however many subscribers there are", () => {
    const stringifyCalls = (subscribers: number): number => {
      const { hub, peer } = setup();
      for (let i = 0; i < subscribers; i++) ask(hub, peer(), { op: "sub", id: 1, ch: "public.fan" });
      const publisher = peer("publisher");
      const frame = JSON.stringify(pub("public.fan"));
      const original = JSON.stringify;
      let calls = 0;
      JSON.stringify = ((...args: Parameters<typeof original>) => (calls++, original(...args))) as typeof original;
      try {
        hub.message(publisher, frame);
      } finally {
        JSON.stringify = original;
      }
      assert.equal(JSON.parse(publisher.last).n, subscribers);
      return calls;
    };
    assert.equal(stringifyCalls(50), stringifyCalls(1));
  });

  it("subscribing twice delivers once, and unsubscribe stops deliveries", () => {
    const { hub, peer } = setup();
    const s = peer();
    const publisher = peer("publisher");
    ask(hub, s, { op: "sub", id: 1, ch: "public.x" });
    ask(hub, s, { op: "sub", id: 2, ch: "public.x" });
    assert.equal((ask(hub, publisher, pub("public.x")) as { n: number }).n, 1);
    assert.deepEqual(ask(hub, s, { op: "unsub", id: 3, ch: "public.x" }), { op: "ack", id: 3, ok: true });
    const before = s.received;
    assert.equal((ask(hub, publisher, pub("public.x")) as { n: number }).n, 0);
    assert.equal(s.received, before);
    assert.equal(hub.channels, 0);
    assert.deepEqual(ask(hub, s, { op: "unsub", id: 4, ch: "public.never" }), { op: "ack", id: 4, ok: true }, "unsub is idempotent");
  });

  it("open counts a peer once, and close drops its subscriptions and its connection, once", () => {
    const { hub, peer } = setup();
    const s = peer();
    const publisher = peer("publisher");
    ask(hub, s, { op: "sub", id: 1, ch: "public.a" });
    ask(hub, s, { op: "sub", id: 2, ch: "public.b" });
    assert.equal(hub.channels, 2);
    hub.open(s);
    assert.equal(hub.connections, 2, "opening a peer twice counts it once");
    hub.close(s);
    hub.close(s);
    assert.equal(hub.connections, 1);
    assert.equal(hub.channels, 0);
    assert.equal(s.channels.size, 0);
    assert.equal((ask(hub, publisher, pub("public.a")) as { n: number }).n, 0);
    ask(hub, s, { op: "sub", id: 3, ch: "public.a" });
    assert.equal(hub.channels, 0, "a frame that raced the close leaves no subscription behind");
  });

  it("a peer whose send throws costs neither the hub nor the other subscribers", () => {
    const { hub, peer } = setup();
    const dead = peer();
    const alive = peer();
    const publisher = peer("publisher");
    ask(hub, dead, { op: "sub", id: 1, ch: "public.x" });
    ask(hub, alive, { op: "sub", id: 1, ch: "public.x" });
    dead.send = () => {
      throw new Error("socket closed");
    };
    assert.doesNotThrow(() => hub.message(dead, '{"op":"echo","id":1,"p":""}'));
    assert.equal((ask(hub, publisher, pub("public.x")) as { n: number }).n, 2);
    assert.equal(JSON.parse(alive.last).op, "msg");
  });

  it("undecodable frames get bad_request, with the id when one could be read", () => {
    const { hub, peer } = setup();
    const p = peer();
    const notJson = ask(hub, p, "{nope") as { op: string; code: string; id?: number };
    assert.equal(notJson.op, "error");
    assert.equal(notJson.code, "bad_request");
    assert.equal(notJson.id, undefined);
    const badOp = ask(hub, p, { op: "dance", id: 5 }) as { op: string; code: string; id?: number };
    assert.deepEqual([badOp.op, badOp.code, badOp.id], ["error", "bad_request", 5]);
  });

  it("frames over maxFrameBytes get too_large without being parsed", () => {
    const { hub, peer } = setup(64);
    const p = peer();
    // invalid JSON: had it been parsed, the reply would be bad_request
    const reply = ask(hub, p, "x".repeat(65)) as { op: string; code: string };
    assert.deepEqual([reply.op, reply.code], ["error", "too_large"]);
    const fits = JSON.stringify({ op: "echo", id: 1, p: "y".repeat(64 - 27) });
    assert.equal(fits.length, 64);
    assert.equal(ask(hub, p, fits).op, "echo");
  });

  it("the default frame limit is 1 MiB", () => {
    const { hub, peer } = setup();
    const p = peer();
    assert.equal((ask(hub, p, "x".repeat((1 << 20) + 1)) as { code: string }).code, "too_large");
  });

  it("stats reports connections, channels, the runtime and the memory the adapter supplies", () => {
    const { hub, peer } = setup();
    const p = peer();
    peer();
    ask(hub, p, { op: "sub", id: 1, ch: "public.s" });
    assert.deepEqual(ask(hub, p, { op: "stats", id: 6 }), {
      op: "ack",
      id: 6,
      ok: true,
      stats: {
        rssBytes: 123,
        heapUsedBytes: 45,
        connections: 2,
        channels: 1,
        runtime: "test",
        limits: { tooLarge: 0, badRequest: 0, rateLimited: 0, idleClosed: 0, slowClosed: 0 },
      },
    });
  });

  it("publish goes through a fanout the adapter supplies", () => {
    const calls: string[] = [];
    const inner = createMemoryFanout<Peer>();
    const fanout: Fanout<Peer> = {
      subscribe: (p, ch) => (calls.push(`sub ${ch}`), inner.subscribe(p, ch)),
      unsubscribe: (p, ch) => (calls.push(`unsub ${ch}`), inner.unsubscribe(p, ch)),
      publish: (ch, text) => (calls.push(`pub ${ch}`), inner.publish(ch, text)),
      drop: (p) => (calls.push("drop"), inner.drop(p)),
      channelCount: () => inner.channelCount(),
    };
    const hub = createHub<Peer>({}, { runtime: "native", memory: () => ({ rssBytes: 1, heapUsedBytes: 1 }), fanout });
    const s = createCountingPeer();
    const publisher = createCountingPeer();
    hub.open(s);
    hub.open(publisher);
    hub.message(publisher, '{"op":"auth","id":1,"token":"admin-token"}');
    hub.message(s, '{"op":"sub","id":1,"ch":"public.n"}');
    hub.message(publisher, JSON.stringify(pub("public.n")));
    hub.close(s);
    assert.deepEqual(calls, ["sub public.n", "pub public.n", "drop"]);
    assert.equal(JSON.parse(publisher.last).n, 1);
  });

  it("works without any abilities, for engine benchmarks", () => {
    const hub = createHub();
    const p = createCountingPeer();
    hub.open(p);
    for (let i = 0; i < 1000; i++) hub.message(p, `{"op":"echo","id":${i},"p":"x"}`);
    assert.equal(p.received, 1000);
    assert.equal(JSON.parse(p.last).id, 999);
    hub.message(p, '{"op":"stats","id":1}');
    assert.equal(JSON.parse(p.last).stats.runtime, "engine");
  });
});
