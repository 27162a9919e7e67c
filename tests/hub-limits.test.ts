/** The hub's limits, driven in-process with counting peers and a clock the test moves by hand. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type CountingPeer,
  createCountingPeer,
  createHub,
  type Hub,
  type HubOptions,
  originAllowed,
  parseHubOptions,
} from "../src/hub/mod.ts";
import type { Reply } from "../src/protocol/messages.ts";

type Setup = { hub: Hub<CountingPeer>; peer: () => CountingPeer; tick: (ms: number) => void };

function setup(options: HubOptions = {}): Setup {
  let clock = 1_000;
  const hub = createHub<CountingPeer>(options, { runtime: "test", memory: () => ({ rssBytes: 1, heapUsedBytes: 1 }), now: () => clock });
  const peer = (): CountingPeer => {
    const p = createCountingPeer();
    hub.open(p);
    return p;
  };
  return { hub, peer, tick: (ms) => (clock += ms) };
}

const ask = (hub: Hub<CountingPeer>, peer: CountingPeer, frame: object | string): Reply & Record<string, unknown> => {
  hub.message(peer, typeof frame === "string" ? frame : JSON.stringify(frame));
  return JSON.parse(peer.last);
};
const echo = (id: number) => ({ op: "echo", id, p: "x" });

describe("hub limits", () => {
  it("passes a burst, answers frames over the rate limit with rate_limited and their id, and refills with time", () => {
    const { hub, peer, tick } = setup({ rateLimit: { perSecond: 10, burst: 3 } });
    const p = peer();
    for (let id = 1; id <= 3; id++) assert.equal(ask(hub, p, echo(id)).op, "echo");
    assert.deepEqual(ask(hub, p, echo(4)), { op: "error", id: 4, code: "rate_limited", message: "over 10 frames/s (burst 3)" });
    assert.equal(ask(hub, p, "{not json").code, "rate_limited", "even garbage costs a token");
    tick(100);
    assert.equal(ask(hub, p, echo(5)).op, "echo", "100 ms at 10/s gives one token back");
    assert.equal(ask(hub, p, echo(6)).code, "rate_limited");
    tick(60_000);
    for (let id = 7; id <= 9; id++) assert.equal(ask(hub, p, echo(id)).op, "echo", "a long pause refills up to the burst, no more");
    assert.equal(ask(hub, p, echo(10)).code, "rate_limited");
    assert.equal(hub.limits.rateLimited, 4);
    assert.equal(ask(hub, peer(), echo(1)).op, "echo", "each connection has its own bucket");
  });

  it("has no rate limit by default: 10,000 frames at one instant are all served", () => {
    const { hub, peer } = setup();
    const p = peer();
    for (let id = 0; id < 10_000; id++) hub.message(p, `{"op":"echo","id":${id},"p":""}`);
    assert.equal(JSON.parse(p.last).id, 9_999);
    assert.equal(hub.limits.rateLimited, 0);
  });

  it("with requireAuth refuses sub and pub from a guest as unauthenticated, and serves them after auth", () => {
    const { hub, peer } = setup({ requireAuth: true });
    const p = peer();
    for (const frame of [{ op: "sub", id: 1, ch: "public.a" }, { op: "pub", id: 3, ch: "public.a", seq: 0, ts: 0, p: "" }]) {
      assert.deepEqual(ask(hub, p, frame), { op: "ack", id: frame.id, ok: false, code: "unauthenticated" });
    }
    assert.equal(ask(hub, p, echo(4)).op, "echo", "open actions stay open");
    ask(hub, p, { op: "auth", id: 5, token: "subscriber-token" });
    assert.deepEqual(ask(hub, p, { op: "sub", id: 6, ch: "public.a" }), { op: "ack", id: 6, ok: true });
    assert.equal(ask(hub, p, { op: "sub", id: 7, ch: "private.a" }).code, "forbidden", "the policy still applies after auth");
  });

  it("refuses a subscription past maxChannelsPerPeer as too_many_channels, and takes it again after an unsub", () => {
    const { hub, peer } = setup({ maxChannelsPerPeer: 2 });
    const p = peer();
    ask(hub, p, { op: "sub", id: 1, ch: "public.a" });
    ask(hub, p, { op: "sub", id: 2, ch: "public.b" });
    assert.deepEqual(ask(hub, p, { op: "sub", id: 3, ch: "public.c" }), { op: "ack", id: 3, ok: false, code: "too_many_channels" });
    assert.equal(ask(hub, p, { op: "sub", id: 4, ch: "public.a" }).ok, true, "a channel it already holds is no new one");
    ask(hub, p, { op: "unsub", id: 5, ch: "public.a" });
    assert.equal(ask(hub, p, { op: "sub", id: 6, ch: "public.c" }).ok, true);
    assert.equal(p.channels.size, 2);
    assert.equal(hub.channels, 2);
  });

  it("refuses a channel name over maxChannelLength as bad_request, naming the limit", () => {
    const { hub, peer } = setup({ maxChannelLength: 16 });
    const reply = ask(hub, peer(), { op: "sub", id: 1, ch: "public." + "x".repeat(10) });
    assert.deepEqual([reply.op, reply.code, reply.id], ["error", "bad_request", 1]);
    assert.match(String(reply.message), /limit is 16/);
    assert.equal(hub.channels, 0);
  });

  it("the defaults bound a peer to 1,000 channels of at most 256 code units", () => {
    const { hub, peer } = setup();
    const p = peer();
    for (let i = 0; i < 1_100; i++) hub.message(p, `{"op":"sub","id":${i},"ch":"public.${i}"}`);
    assert.equal(p.channels.size, 1_000);
    assert.equal(ask(hub, p, { op: "sub", id: 1, ch: "public." + "x".repeat(250) }).code, "bad_request");
  });

  it("sweepIdle closes only connections silent for longer than idleTimeoutMs, with 1001, and forgets them", () => {
    const { hub, peer, tick } = setup({ idleTimeoutMs: 1_000 });
    const quiet = peer();
    const chatty = peer();
    ask(hub, quiet, { op: "sub", id: 1, ch: "public.q" });
    tick(600);
    ask(hub, chatty, echo(1));
    assert.equal(hub.sweepIdle(), 0);
    tick(600);
    assert.equal(hub.sweepIdle(), 1);
    assert.deepEqual(quiet.closedWith, { code: 1001, reason: "idle timeout" });
    assert.equal(chatty.closedWith, undefined);
    assert.equal(hub.connections, 1);
    assert.equal(hub.channels, 0, "its subscriptions went with it");
    assert.equal(hub.limits.idleClosed, 1);
    hub.close(quiet);
    assert.equal(hub.connections, 1, "the adapter's close event that follows changes nothing");
  });

  it("without an idle timeout sweepIdle closes nothing", () => {
    const { hub, peer, tick } = setup();
    peer();
    tick(1e9);
    assert.equal(hub.sweepIdle(), 0);
  });

  it("overflow closes a slow peer with 1013 once, counts it, and drops its subscriptions", () => {
    const { hub, peer } = setup();
    const slow = peer();
    ask(hub, slow, { op: "sub", id: 1, ch: "public.s" });
    hub.overflow(slow);
    hub.overflow(slow);
    assert.equal(slow.closedWith?.code, 1013);
    assert.equal(hub.limits.slowClosed, 1);
    assert.equal(hub.connections, 0);
    assert.equal(hub.channels, 0);
  });

  it("stats reports every limit's count", () => {
    const { hub, peer } = setup({ maxFrameBytes: 32 });
    const p = peer();
    ask(hub, p, "x".repeat(33));
    ask(hub, p, "{}");
    const stats = ask(hub, p, { op: "stats", id: 1 }).stats as { limits: Record<string, number> };
    assert.deepEqual(stats.limits, { tooLarge: 1, badRequest: 1, rateLimited: 0, idleClosed: 0, slowClosed: 0 });
  });

  it("refuses bad options at creation, naming the field and what is allowed", () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ rateLimit: { perSecond: 0, burst: 1 } }, /rateLimit\.perSecond/],
      [{ rateLimit: { perSecond: 5, burst: 1.5 } }, /rateLimit\.burst/],
      [{ idleTimeoutMs: -1 }, /idleTimeoutMs/],
      [{ handshakeTimeoutMs: 0 }, /handshakeTimeoutMs: .*>=1/],
      [{ handshakeTimeoutMs: 255_001 }, /handshakeTimeoutMs: .*<=255000/],
      [{ maxBufferedBytes: "8M" }, /maxBufferedBytes/],
      [{ allowedOrigins: ["https://app.example.com/"] }, /allowedOrigins\.0.*scheme:\/\/host\[:port\]/],
      [{ rateLimt: { perSecond: 1, burst: 1 } }, /rateLimt/],
    ];
    for (const [options, names] of bad) {
      assert.throws(
        () => createHub(options as HubOptions),
        (error: Error & { issues?: Array<{ path?: Array<{ key: unknown }>; message: string }> }) => {
          const described = (error.issues ?? []).map((i) => `${(i.path ?? []).map((k) => String(k.key)).join(".")}: ${i.message}`).join(
            "; ",
          );
          assert.match(described, names, JSON.stringify(options));
          return true;
        },
      );
    }
    assert.doesNotThrow(() => parseHubOptions({ allowedOrigins: ["https://app.example.com", "http://localhost:8080"] }));
  });

  it("allows an upgrade from a listed origin or with no Origin header, and refuses any other origin", () => {
    const options = { allowedOrigins: ["https://app.example.com"] };
    assert.ok(originAllowed(options, "https://app.example.com"));
    assert.ok(originAllowed(options, "HTTPS://App.Example.com"), "origins compare case-insensitively");
    assert.ok(originAllowed(options, null), "no Origin: not a browser, nothing to protect from cross-site use");
    for (const origin of ["https://evil.example.com", "https://app.example.com.evil.io", "null", "http://app.example.com"]) {
      assert.ok(!originAllowed(options, origin), origin);
    }
    assert.ok(originAllowed(undefined, "https://anything.example"), "no allow-list: every origin");
  });
});
