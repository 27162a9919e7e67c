/**
 * The graphql-ws profile against the real `graphql-ws` server
 * (`examples/servers/graphql-ws.ts`, graphql-ws on ws with graphql's schema),
 * started on Node in a process of its own, from the runtime under test: the
 * failure paths first (a token refused at connection_init, a subscription the
 * server ends, a server that lets a guest into a private channel), then every
 * suite at minimal and light with its counts exact, while the server pings
 * every connection every 100 ms and closes one that does not answer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { graphqlWsProfile, type Link, stress } from "../mod.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { builtinProfile } from "../src/profiles/builtin.ts";
import { ErrorTally } from "../src/load/error-tally.ts";
import { openPool } from "../src/load/pool.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import {
  assertClean,
  assertExactCounts,
  errorsOf,
  type LevelName,
  pacedAnswered,
  permissionDecisions,
  suiteOf,
  useProtocolServer,
  wire,
} from "./_protocol-runs.ts";

const runtime = detectRuntime();

const sent: string[] = [];
const LINK: Link = { index: 0, send: (f) => void sent.push(String(f)), heartbeatWithin() {}, keepAlive() {}, lost() {} };

describe("the graphql-ws profile's frames, offline", () => {
  it("ties results to ids of its own, acks a subscription by its first next and an unsubscribe by the pong after its complete", () => {
    const session = graphqlWsProfile().open(LINK);
    const sub = JSON.parse(String(session.subscribe!(0, "public.a")));
    assert.equal(sub.type, "subscribe");
    assert.deepEqual(sub.payload.variables, { channel: "public.a" });
    // the same request id again (the permission observer reuses 0) gets another operation id
    const again = JSON.parse(String(session.subscribe!(0, "public.b")));
    assert.notEqual(again.id, sub.id);
    assert.deepEqual(session.decode(JSON.stringify({ type: "next", id: sub.id, payload: { data: { channel: "" } } })), {
      op: "ack",
      id: 0,
      ok: true,
    });
    const delivery = { type: "next", id: sub.id, payload: { data: { channel: "7:1700000000000:tick" } } };
    assert.deepEqual(session.decode(JSON.stringify(delivery)), { op: "msg", ch: "public.a", seq: 7, ts: 1700000000000, p: "" });
    assert.deepEqual(session.decode(JSON.stringify({ type: "error", id: again.id, payload: [{ message: "forbidden" }] })), {
      op: "ack",
      id: 0,
      ok: false,
    });
    sent.length = 0;
    const ping = JSON.parse(String(session.unsubscribe!(5, "public.a")));
    assert.deepEqual(sent.map((f) => JSON.parse(f)), [{ type: "complete", id: sub.id }], "the complete goes first");
    assert.equal(ping.type, "ping");
    assert.equal(
      session.decode(JSON.stringify(delivery)),
      "control",
      "a result in flight after the complete is ignored, as the protocol says",
    );
    assert.deepEqual(session.decode(JSON.stringify({ type: "pong", payload: ping.payload })), { op: "ack", id: 5, ok: true });
    assert.equal(session.decode('{"type":"pong"}'), "control", "an unsolicited pong is a heartbeat of the server's, not an answer");
    sent.length = 0;
    assert.equal(session.decode('{"type":"ping"}'), "heartbeat");
    assert.deepEqual(sent, ['{"type":"pong"}']);
    assert.equal(session.decode("{not json"), undefined);
  });

  it("holds an unsubscribe asked before its subscription's first result until that result, which graphql-ws would never send", () => {
    const session = graphqlWsProfile().open(LINK);
    const sub = JSON.parse(String(session.subscribe!(0, "public.a")));
    sent.length = 0;
    assert.equal(session.unsubscribe!(1, "public.a"), undefined, "nothing to send yet");
    assert.deepEqual(sent, []);
    assert.deepEqual(session.decode(JSON.stringify({ type: "next", id: sub.id, payload: { data: { channel: "" } } })), {
      op: "ack",
      id: 0,
      ok: true,
    });
    const [complete, ping] = sent.map((f) => JSON.parse(f));
    assert.deepEqual(complete, { type: "complete", id: sub.id }, "the complete goes first, then the ping that answers the unsubscribe");
    assert.deepEqual(session.decode(JSON.stringify({ type: "pong", payload: ping.payload })), { op: "ack", id: 1, ok: true });
    // a subscription refused is over: its waiting unsubscribe is answered without a complete
    const refused = JSON.parse(String(session.subscribe!(2, "private.a")));
    sent.length = 0;
    assert.equal(session.unsubscribe!(3, "private.a"), undefined);
    assert.deepEqual(session.decode(JSON.stringify({ type: "error", id: refused.id, payload: [{ message: "forbidden" }] })), {
      op: "ack",
      id: 2,
      ok: false,
    });
    assert.deepEqual(sent.map((f) => JSON.parse(f).type), ["ping"]);
    assert.deepEqual(session.decode(JSON.stringify({ type: "pong", payload: JSON.parse(sent[0]).payload })), {
      op: "ack",
      id: 3,
      ok: true,
    });
  });

  it("reads a query's and a mutation's result, and refuses one whose result has errors and no data", () => {
    const session = graphqlWsProfile().open(LINK);
    const echo = JSON.parse(String(session.echo!(3, "hello")));
    assert.deepEqual(echo.payload.variables, { message: "3:hello" });
    assert.deepEqual(session.decode(JSON.stringify({ type: "next", id: echo.id, payload: { data: { echo: "3:hello" } } })), {
      op: "echo",
      id: 3,
      p: "",
    });
    assert.equal(session.decode(JSON.stringify({ type: "complete", id: echo.id })), "control");
    const pub = JSON.parse(String(session.publish!(4, "news.x", 9, 1, "p")));
    assert.deepEqual(pub.payload.variables, { channel: "news.x", message: "9:1:p" });
    const refused = { type: "next", id: pub.id, payload: { data: null, errors: [{ message: "forbidden" }] } };
    assert.deepEqual(session.decode(JSON.stringify(refused)), { op: "ack", id: 4, ok: false });
    const pub2 = JSON.parse(String(session.publish!(5, "news.x", 10, 1, "p")));
    assert.deepEqual(session.decode(JSON.stringify({ type: "next", id: pub2.id, payload: { data: { publish: 20 } } })), {
      op: "ack",
      id: 5,
      ok: true,
      n: 20,
    });
  });

  it("takes documents of the user's, checked, in its name, which a worker rebuilds it from", () => {
    const doc = "query Ping($message: String!) { ping(text: $message) { text } }";
    const profile = graphqlWsProfile({ echo: doc });
    assert.match(profile.module!, /^graphql-ws\?echo=query\+Ping/);
    const rebuilt = builtinProfile(profile.module!)!;
    assert.equal(JSON.parse(String(rebuilt.open(LINK).echo!(1, "x"))).payload.query, doc);
    assert.throws(
      () => builtinProfile("graphql-ws?echo=query { a }"),
      /profile: graphql-ws option echo "query \{ a \}" does not take \$message/,
    );
    assert.throws(() => builtinProfile("graphql-ws?publish=query X { a }"), /is not a mutation/);
    assert.throws(() => builtinProfile("graphql-ws?ecko=x"), /has no option "ecko" \(did you mean "echo"\?\)/);
  });
});

describe(`a token graphql-ws refuses at connection_init, from ${runtime}`, () => {
  const used = useProtocolServer("graphql-ws", {});
  it("fails every connection with setup_refused and the close code 4403", async () => {
    const report = await stress().target(used.server.url).profile("graphql-ws").auth({ token: "stolen-token" }).level("minimal")
      .suite("connection").warmup(false).run();
    const [connection] = report.json.levels[0].suites;
    assert.deepEqual(errorsOf(connection), ["setup_refused × 10", "nothing_measured × 1"]);
    assert.match(connection.errors[0].message, /closed during setup \(4403 Forbidden\)/);
  });
});

describe(`faults in the real graphql-ws server, from ${runtime}`, () => {
  const used = useProtocolServer("graphql-ws", { faults: { endSubscriptionAfter: 30, guestsIntoPrivate: true }, pingMs: 0 });
  it("counts the deliveries of a subscription the server ended as lost, exactly", async () => {
    const report = await stress().target(used.server.url).profile("graphql-ws").level("minimal").suite("broadcast").warmup(false)
      .timeout(1_500).run();
    const [broadcast] = report.json.levels[0].suites;
    // 200 publishes to 5 subscribers; the first one's subscription ends after 30 of them, and the mutation's result
    // (the recipients) says 4 from then on
    // then the paced step's publishes: the ended subscription misses every one, the other four get each, and each result
    // says 4 too
    const paced = pacedAnswered(broadcast) / 4;
    assert.ok(Number.isInteger(paced) && paced > 0, `${paced} paced publishes`);
    assert.equal(wire(broadcast, "lost"), 170 + paced);
    assert.deepEqual(errorsOf(broadcast), [`recipient_count × ${170 + paced}`, `lost × ${170 + paced}`]);
    assert.equal(broadcast.histograms["wire.queued_latency"].count, 830);
    assert.equal(broadcast.verdict, "fail");
  });

  it("counts every subscription a guest was let into private.* as a wrong allow, and fails the suite", async () => {
    const report = await stress().target(used.server.url).profile("graphql-ws").level("minimal").suite("permission").warmup(false).run();
    const [permission] = report.json.levels[0].suites;
    const expected = permissionDecisions("minimal", false, pacedAnswered(permission));
    assert.equal(wire(permission, "wrong_allows"), expected.guestsIntoPrivate);
    assert.deepEqual(errorsOf(permission), [`wrong_allow × ${expected.guestsIntoPrivate}`]);
    assert.equal(wire(permission, "denied"), expected.denied - expected.guestsIntoPrivate);
    assert.equal(permission.verdict, "fail");
  });
});

describe(`every suite against the real graphql-ws server at minimal and light, from ${runtime}`, () => {
  // the server pings every connection every PING_MS and closes one that did not answer the last ping (4408); a second
  // and a half leaves room for a client stalled on a busy machine. Whether this run outlasts a ping depends on the
  // machine's speed; the idle test below holds connections past three pings for certain.
  const PING_MS = 1_500;
  const used = useProtocolServer("graphql-ws", { pingMs: PING_MS });
  it("runs each with no error, every planned round trip, ack, delivery and decision counted, and refusals as denies", async () => {
    const report = await stress().target(used.server.url).profile("graphql-ws").level("minimal", "light").warmup(false).run();
    assert.equal(report.json.server.handshake?.subprotocol, "graphql-transport-ws");
    for (const level of report.json.levels) {
      // no connection lost: every ping the run saw was answered
      assertClean(level);
      assertExactCounts(level, level.level.name as LevelName, false);
      assert.ok(wire(suiteOf(level, "connection"), "setup_p50_ms")! > 0, "connection_init → connection_ack is timed as the setup");
    }
  });
});

describe(`graphql-ws heartbeats on idle connections, from ${runtime}`, () => {
  const PING_MS = 500;
  const used = useProtocolServer("graphql-ws", { pingMs: PING_MS });
  it("answers every ping, so connections idle for three pings are all still open", async () => {
    const errors = new ErrorTally();
    const profile = builtinProfile("graphql-ws")!;
    const pool = await openPool(await currentRuntime(), used.server.url, 10, {
      concurrency: 10,
      timeoutMs: 5_000,
      errors,
      profile,
      protocols: profile.protocols,
    });
    await new Promise((r) => setTimeout(r, 3.5 * PING_MS));
    const open = pool.connections.filter((c) => c.open).length;
    await pool.close(5_000);
    assert.equal(open, 10);
    assert.deepEqual(errors.list(), []);
  });
});
