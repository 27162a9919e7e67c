/**
 * The profile contract's failure paths, each against a server that
 * misbehaves in one known way after the upgrade (`fixtures/session-fault-server.ts`):
 * a setup refused, closed, never answered or slow; a heartbeat that stops; a
 * reply that matches nothing; replies out of order; binary frames; and the
 * credentials a handshake carries. Every count is exact.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { defineProtocol, type Link, stress, type SuiteResult } from "../mod.ts";
import { type Chat, chatProtocol } from "../examples/chat-profile.ts";
import { ErrorTally } from "../src/load/error-tally.ts";
import { openPool } from "../src/load/pool.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import {
  BEAT_MS,
  HOLD_MS,
  type SessionFaultMode,
  type SessionFaultServer,
  startSessionFaultServer,
} from "./fixtures/session-fault-server.ts";

const runtime = detectRuntime();
/**
 * The example chat profile (the fixture speaks its protocol: log in first, replies without ids), with the
 * caller's `auth` in the login and the fixture's heartbeats answered and watched.
 */
const chat = () =>
  defineProtocol<Chat>({
    ...chatProtocol,
    name: "chat-test",
    async setup(conn) {
      const login = JSON.stringify({ type: "login", user: `load-${conn.index}`, ...conn.auth });
      const answer = await conn.request(login, (m) => m.type === "welcome" || m.type === "error");
      if (answer.type === "error") throw new Error(answer.message);
      conn.heartbeatWithin(10 * BEAT_MS);
    },
    heartbeat: (m) => (m.type === "hb" ? JSON.stringify({ type: "hb-ack" }) : undefined),
  });

const OFFLINE: Link = { index: 0, send() {}, heartbeatWithin() {}, keepAlive() {}, lost() {} };
const wire = (s: SuiteResult, key: string): number | undefined => s.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;
const errorsOf = (s: SuiteResult): string[] => s.errors.map((e) => `${e.class} × ${e.count}`);

/** A fixture server in `mode` for the describe it is called in. */
function useServer(mode: SessionFaultMode): { server: SessionFaultServer } {
  const used = {} as { server: SessionFaultServer };
  before(async () => {
    used.server = await startSessionFaultServer(mode);
  });
  after(() => used.server?.close());
  return used;
}

const connectionRun = (url: string, timeout = 5_000) =>
  stress().target(url).profile(chat()).level("minimal").suite("connection").warmup(false).timeout(timeout).run();

describe("correlation inside a defineProtocol session", () => {
  it("ties a reply by content to the request it answers, by order when no match is given, and names a reply to nothing", () => {
    const session = chat().open(OFFLINE);
    session.subscribe!(0, "a");
    session.subscribe!(1, "b");
    session.unsubscribe!(2, "a");
    session.unsubscribe!(3, "b");
    assert.deepEqual(session.decode('{"type":"joined","room":"b"}'), { op: "ack", id: 1, ok: true });
    assert.deepEqual(session.decode('{"type":"joined","room":"a"}'), { op: "ack", id: 0, ok: true });
    assert.equal(session.decode('{"type":"joined","room":"a"}'), "unmatched", "a second answer to a request already answered");
    // leave has no match: the n-th left answers the n-th leave, whatever room it names
    assert.deepEqual(session.decode('{"type":"left","room":"b"}'), { op: "ack", id: 2, ok: true });
    assert.deepEqual(session.decode('{"type":"left"}'), { op: "ack", id: 3, ok: true });
    assert.equal(session.decode('{"type":"hb"}'), "heartbeat");
    assert.equal(session.decode('{"type":"presence"}'), undefined, "a frame nothing recognises is undecodable");
    assert.equal(session.decode("not json"), undefined);
  });
});

describe(`a setup the server refuses, from ${runtime}`, () => {
  const used = useServer("refuse");
  it("counts every connection failed with setup_refused and its reason, with the handshakes timed", async () => {
    const [connection] = (await connectionRun(used.server.url)).json.levels[0].suites;
    assert.equal(wire(connection, "failures"), 10);
    assert.deepEqual(errorsOf(connection), ["setup_refused × 10", "nothing_measured × 1"]);
    assert.match(connection.errors[0].message, /bad credentials/);
    assert.equal(connection.histograms["wire.handshake"].count, 10, "the upgrades succeeded and were timed");
    assert.equal(connection.histograms["wire.setup"]?.count ?? 0, 0);
    assert.ok(connection.notes.some((n) => /setup latency: no samples/.test(n)), connection.notes.join("\n"));
    assert.equal(connection.verdict, "fail");
  });
});

describe(`a setup the server answers by closing, from ${runtime}`, () => {
  const used = useServer("close");
  it("counts it refused, with the close code", async () => {
    const [connection] = (await connectionRun(used.server.url)).json.levels[0].suites;
    assert.deepEqual(errorsOf(connection), ["setup_refused × 10", "nothing_measured × 1"]);
    assert.match(connection.errors[0].message, /closed during setup \(4403 forbidden\)/);
  });
});

describe(`a setup the server never answers, from ${runtime}`, () => {
  const used = useServer("mute");
  it("gives up on each after the timeout and counts setup_timeout", async () => {
    const [connection] = (await connectionRun(used.server.url, 800)).json.levels[0].suites;
    assert.equal(wire(connection, "failures"), 10);
    assert.deepEqual(errorsOf(connection), ["setup_timeout × 10", "nothing_measured × 1"]);
    assert.match(connection.errors[0].message, /no answer to the connection's setup within 800 ms/);
  });
});

describe(`a slow welcome, from ${runtime}`, () => {
  const used = useServer("slow-welcome");
  it("times the setup apart from the handshake: the hold is in the setup, none of it in the handshake's count", async () => {
    const [connection] = (await connectionRun(used.server.url)).json.levels[0].suites;
    assert.deepEqual(connection.errors, []);
    const setup = connection.histograms["wire.setup"];
    assert.equal(setup.count, 10);
    assert.equal(connection.histograms["wire.handshake"].count, 10);
    assert.ok(setup.min >= HOLD_MS * 1e6, `setup min ${setup.min} ns is below the server's ${HOLD_MS} ms hold`);
    assert.ok(wire(connection, "setup_p50_ms")! >= HOLD_MS);
  });
});

describe(`heartbeats, from ${runtime}`, () => {
  const hold = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const openHeld = async (server: SessionFaultServer) => {
    const errors = new ErrorTally();
    const pool = await openPool(await currentRuntime(), server.url, 10, { concurrency: 10, timeoutMs: 5_000, errors, profile: chat() });
    // a driver that reads raw frames sees each heartbeat first, and leaves it to the session
    let seen = 0;
    for (const c of pool.connections) c.onFrame = (frame) => (String(frame).includes('"hb"') && seen++, false);
    await hold(40 * BEAT_MS);
    assert.ok(seen >= 10, `${seen} heartbeats seen raw`);
    const open = pool.connections.filter((c) => c.open).length;
    await pool.close(5_000);
    return { errors: errors.list().map((e) => `${e.class} × ${e.count}`), open, opened: pool.connections.length };
  };

  describe("a server that keeps beating", () => {
    const used = useServer("ok");
    it("answers every heartbeat and keeps every connection open", async () => {
      const { errors, open, opened } = await openHeld(used.server);
      assert.deepEqual(errors, []);
      assert.equal(opened, 10);
      assert.equal(open, 10);
      assert.ok(used.server.heartbeatAnswers >= 10 * 3, `${used.server.heartbeatAnswers} heartbeats answered`);
    });
  });

  describe("a server whose heartbeat stops", () => {
    const used = useServer("heartbeat-stops");
    it("counts heartbeat_missed once per connection and closes it, as a real client would, without counting it lost too", async () => {
      const { errors, open, opened } = await openHeld(used.server);
      assert.equal(opened, 10);
      assert.equal(open, 0);
      assert.deepEqual(errors, ["heartbeat_missed × 10"]);
    });
  });
});

describe(`a reply that matches no request, from ${runtime}`, () => {
  const used = useServer("stray");
  it("counts each as unsolicited, exactly, among the suite's errors, and still answers every request", async () => {
    const [message] =
      (await stress().target(used.server.url).profile(chat()).level("minimal").suite("message").warmup(false).run()).json.levels[0].suites;
    assert.equal(message.histograms["wire.queued_rtt"].count, 1000);
    // one stray per request: the capacity phase's 1,000 and every paced one
    const requests = 1000 + message.histograms["wire.rtt"].count;
    assert.deepEqual(errorsOf(message), [`unsolicited × ${requests}`]);
    assert.equal(wire(message, "errors"), requests, "the message suite's errors must be zero: a server that answers twice fails it");
    assert.equal(message.status, "ok", "nothing crashed: every round trip was measured");
    assert.equal(message.verdict, "fail");
  });
});

describe(`joins answered out of order, from ${runtime}`, () => {
  const used = useServer("swapped");
  it("correlates each joined by its room, with no error", async () => {
    const report = await stress().target(used.server.url).profile(chat()).level("minimal").suite("subscription").window(2).warmup(false)
      .run();
    const [subscription] = report.json.levels[0].suites;
    assert.deepEqual(subscription.errors, []);
    assert.equal(subscription.histograms["wire.queued_ack"].count, 10 * 20);
  });
});

describe(`binary frames, from ${runtime}`, () => {
  const used = useServer("binary");
  const binaryEcho = defineProtocol<Uint8Array>({
    name: "binary-echo",
    parse(frame) {
      if (typeof frame === "string") throw new Error("text frame");
      return frame;
    },
    echo: {
      // a 4-byte big-endian id, then the payload's bytes
      request(_stamp, { id, payload }) {
        const bytes = new Uint8Array(4 + payload.length);
        new DataView(bytes.buffer).setUint32(0, id);
        bytes.set(new TextEncoder().encode(payload), 4);
        return bytes;
      },
      reply: (m) => ({ id: new DataView(m.buffer, m.byteOffset, m.byteLength).getUint32(0) }),
    },
  });
  it("sends and reads binary frames on every round trip", async () => {
    const [message] =
      (await stress().target(used.server.url).profile(binaryEcho).level("minimal").suite("message").warmup(false).run()).json.levels[0]
        .suites;
    assert.deepEqual(message.errors, []);
    assert.equal(message.histograms["wire.queued_rtt"].count, 1000);
  });
});

describe(`credentials in the handshake, from ${runtime}`, () => {
  const used = useServer("ok");
  it("carries the query and the handshake payload to the server, and names them in the result without their values", async () => {
    const report = await stress()
      .target(used.server.url)
      .profile(chat())
      .query({ room: "lobby", key: "q-secret-value" })
      .auth({ password: "a-secret-password" })
      .level("minimal")
      .suite("connection")
      .warmup(false)
      .run();
    assert.deepEqual(report.json.levels[0].suites[0].errors, []);
    assert.equal(used.server.lastQuery.key, "q-secret-value");
    assert.equal(used.server.lastLogin.password, "a-secret-password");
    assert.deepEqual(report.json.plan.connection, {
      headers: [],
      query: ["room", "key"],
      auth: ["password"],
      subprotocols: [],
      tokens: [],
      customCa: false,
    });
    const json = JSON.stringify(report.json);
    assert.ok(!json.includes("q-secret-value") && !json.includes("a-secret-password"), "no value reaches the result");
  });
});
