/**
 * The socketio profile against the real socket.io server
 * (examples/servers/socketio.ts through tests/fixtures/socketio-server.ts, on
 * Node), from the runtime under test: every suite at minimal and light with
 * no error, exact broadcast counts, refused permissions counted as denies,
 * heartbeats kept past the server's ping timeout, namespaces, a refusing
 * namespace and token, and a room member the server drops.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { stress, type SuiteResult } from "../mod.ts";
import { ErrorTally } from "../src/load/error-tally.ts";
import { openPool } from "../src/load/pool.ts";
import { builtinProfile } from "../src/profiles/builtin.ts";
import { engineUrl } from "../src/profiles/socketio-options.ts";
import { findExecutable } from "../src/host/executables.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { type Spawned, spawnServer } from "./_spawn-server.ts";
import { pacedAnswered, permissionDecisions } from "./_protocol-runs.ts";

const runtime = detectRuntime();
const SERVER = fileURLToPath(new URL("./fixtures/socketio-server.ts", import.meta.url));
/** small, so a run outlives several heartbeats: a client that did not answer would be dropped after 2.5 s */
const PING = { PING_INTERVAL: "1000", PING_TIMEOUT: "1500" };
const PING_DEADLINE_MS = 2_500;
const TOKENS = { subscriber: "subscriber-token", publisher: "publisher-token", admin: "admin-token" };

const start = (env: Record<string, string> = {}): Promise<Spawned> =>
  spawnServer(findExecutable("node")!, [SERVER], { env: { ...PING, ...env } });
const wire = (s: SuiteResult, key: string): number | undefined => s.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;
const errorsOf = (s: SuiteResult): string[] => s.errors.map((e) => `${e.class} × ${e.count}`);

describe("the socketio profile's URL and options", () => {
  it("adds the default path and the Engine.IO query unless the target gives a path", () => {
    assert.equal(engineUrl("ws://127.0.0.1:3000"), "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket");
    assert.equal(engineUrl("ws://127.0.0.1:3000/rt/?v=2"), "ws://127.0.0.1:3000/rt/?v=2&EIO=4&transport=websocket");
    assert.equal(builtinProfile("socketio?path=/io/")!.url!("ws://h:1/"), "ws://h:1/io/?EIO=4&transport=websocket");
  });

  it("refuses an unknown or malformed option in one line, naming the allowed ones", () => {
    assert.throws(
      () => stress().profile("socketio?namespce=/chat"),
      /profile: the socketio profile has no option "namespce" \(did you mean "namespace"\?\); allowed: namespace, path/,
    );
    assert.throws(() => stress().profile("socketio?namespace=chat"), /namespace "chat" does not start with \//);
  });
});

describe(`the socketio profile against socket.io, from ${runtime}`, () => {
  let server: Spawned;
  let suites: Record<string, SuiteResult[]>;
  before(async () => {
    server = await start();
    const report = await stress().target(server.url).profile("socketio").tokens(TOKENS).level("minimal", "light").warmup(false).run();
    suites = Object.fromEntries(report.json.levels.map((l) => [l.level.name, l.suites]));
  });
  after(() => server?.stop());
  const suite = (level: string, name: string): SuiteResult => suites[level].find((s) => s.suite === name)!;

  it("runs every suite at minimal and light with no error", () => {
    for (const level of ["minimal", "light"]) {
      assert.deepEqual(suites[level].map((s) => s.suite), [
        "connection",
        "message",
        "subscription",
        "broadcast",
        "permission",
        "compression",
      ]);
      for (const s of suites[level]) {
        assert.equal(s.status, "ok", `${level} ${s.suite}`);
        assert.deepEqual(s.errors, [], `${level} ${s.suite}: ${JSON.stringify(s.errors)}`);
      }
    }
    assert.equal(suite("minimal", "message").histograms["wire.queued_rtt"].count, 1000);
    assert.equal(suite("light", "message").histograms["wire.queued_rtt"].count, 10_000);
    assert.equal(suite("light", "subscription").histograms["wire.queued_ack"].count, 100 * 20);
  });

  it("counts every broadcast delivery exactly: publishes × subscribers, none lost or duplicated", () => {
    for (const [level, publishes, subscribers] of [["minimal", 200, 5], ["light", 500, 20]] as const) {
      const b = suite(level, "broadcast");
      assert.equal(b.histograms["wire.queued_latency"].count, publishes * subscribers, level);
      assert.equal(b.histograms["wire.latency"].count, pacedAnswered(b), `${level}: the paced step's deliveries`);
      assert.equal(wire(b, "lost"), 0);
      assert.equal(wire(b, "duplicated"), 0);
      assert.equal(wire(b, "subscribers"), subscribers);
    }
  });

  it("counts what the roles may not do as denies, with no wrong allow or deny", () => {
    for (const [level, connections] of [["minimal", 10], ["light", 100]] as const) {
      const p = suite(level, "permission");
      assert.equal(wire(p, "denied"), permissionDecisions(level, false, pacedAnswered(p)).denied, level);
      assert.equal(wire(p, "wrong_allows"), 0);
      assert.equal(wire(p, "wrong_denies"), 0);
      assert.equal(wire(p, "authenticated"), connections - Math.ceil(connections / 4));
    }
  });

  // Whether this run outlives a ping deadline depends on the machine's speed; the idle test below holds connections past two for certain.
  it("times the namespace connect apart from the upgrade", () => {
    assert.equal(suite("light", "connection").histograms["wire.setup"].count, 100);
  });

  it("measures permessage-deflate where the client can offer it", () => {
    const c = suite("minimal", "compression");
    if (runtime === "deno") assert.ok(c.notes.some((n) => /permessage-deflate not measured on the wire: the deno client/.test(n)));
    else assert.equal(wire(c, "negotiated"), 1);
  });
});

describe(`socket.io heartbeats on idle connections, from ${runtime}`, () => {
  let server: Spawned;
  before(async () => {
    server = await start();
  });
  after(() => server?.stop());

  it("answers every ping, so connections idle for two ping deadlines are all still open", async () => {
    const errors = new ErrorTally();
    const profile = builtinProfile("socketio")!;
    const pool = await openPool(await currentRuntime(), engineUrl(server.url), 10, { concurrency: 10, timeoutMs: 5_000, errors, profile });
    await new Promise((r) => setTimeout(r, 2 * PING_DEADLINE_MS));
    const open = pool.connections.filter((c) => c.open).length;
    await pool.close(5_000);
    assert.equal(open, 10);
    assert.deepEqual(errors.list(), []);
  });
});

describe(`socket.io namespaces and refusals, from ${runtime}`, () => {
  let server: Spawned;
  before(async () => {
    server = await start();
  });
  after(() => server?.stop());
  const one = (profile: string, suite: "connection" | "message", tokens = {}) =>
    stress().target(server.url).profile(profile).tokens(tokens).level("minimal").suite(suite).warmup(false).timeout(5_000).run();

  it("speaks in the namespace it is given", async () => {
    const [message] = (await one("socketio?namespace=/chat", "message")).json.levels[0].suites;
    assert.deepEqual(message.errors, []);
    assert.equal(message.histograms["wire.queued_rtt"].count, 1000);
  });

  it("counts a namespace whose middleware refuses as a refused setup, with the server's message", async () => {
    const [connection] = (await one("socketio?namespace=/locked", "connection")).json.levels[0].suites;
    assert.equal(wire(connection, "failures"), 10);
    assert.deepEqual(errorsOf(connection), ["setup_refused × 10", "nothing_measured × 1"]);
    assert.match(connection.errors[0].message, /namespace \/locked refused the connection: this namespace is closed/);
  });

  it("counts a token the middleware does not know as a refused setup for that role's connections", async () => {
    const report = await stress().target(server.url).profile("socketio").tokens({ ...TOKENS, admin: "stolen" }).level("minimal").suite(
      "permission",
    )
      .warmup(false).run();
    const [permission] = report.json.levels[0].suites;
    // the observer and connections 3 and 7 are admins
    assert.deepEqual(errorsOf(permission).filter((e) => e.startsWith("setup_refused")), ["setup_refused × 3"]);
    assert.match(permission.errors.find((e) => e.class === "setup_refused")!.message, /unknown token/);
    assert.equal(wire(permission, "wrong_allows"), 0);
  });
});

describe(`a room member the socket.io server drops, from ${runtime}`, () => {
  let server: Spawned;
  before(async () => {
    server = await start({ DROP_MEMBER_OF: "public.broadcast" });
  });
  after(() => server?.stop());

  it("counts the member lost and every delivery it never got, and each ack that names one recipient fewer", async () => {
    const report = await stress().target(server.url).profile("socketio").tokens(TOKENS).level("minimal").suite("broadcast").warmup(false)
      .timeout(2_000).run();
    const [broadcast] = report.json.levels[0].suites;
    // the windowed run's 200 publishes, then the paced step's: the dropped member misses every one, the other four get each
    const paced = pacedAnswered(broadcast) / 4;
    assert.ok(Number.isInteger(paced) && paced > 0, `${paced} paced publishes`);
    assert.equal(wire(broadcast, "lost"), 200 + paced, "every publish, for the one member dropped");
    assert.equal(broadcast.histograms["wire.queued_latency"].count, 4 * 200);
    // the server's own count of the room, in every publish's ack (the windowed run's and the paced step's), says it too
    assert.deepEqual(errorsOf(broadcast).sort(), ["connection_lost × 1", `lost × ${200 + paced}`, `recipient_count × ${200 + paced}`]);
    assert.equal(broadcast.verdict, "fail");
  });
});
