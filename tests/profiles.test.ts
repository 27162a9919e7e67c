/**
 * Stressing a server that is not ours, through the target path only: the
 * echo profile against an echo server written on the `ws` package's own API,
 * the wsstress profile against the reference server in a separate process,
 * a custom `defineProtocol` profile, headers, subprotocols and wss:// with a
 * CA of our own. Suites a profile cannot express are skipped, with the reason.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareResults, defineProtocol, type Link, stress, type SuiteResult } from "../mod.ts";
import { findExecutable } from "../src/host/executables.ts";
import { startServerProcess } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { ServerProcess } from "../src/model/runtime-contract.ts";
import { type Spawned, spawnServer } from "./_spawn-server.ts";

const runtime = detectRuntime();
const ECHO_SERVER = fileURLToPath(new URL("./fixtures/ws-echo-server.ts", import.meta.url));
const NODE = findExecutable("node")!;
/** the fixture is a Node program on the ws package: it runs on Node whatever runtime the test runs on */
const startEcho = (...args: string[]): Promise<Spawned> => spawnServer(NODE, [ECHO_SERVER, ...args]);

/** a connection that sends nowhere, for reading a session's frames offline */
const OFFLINE_LINK: Link = { index: 0, send() {}, heartbeatWithin() {}, keepAlive() {}, lost() {} };
const suiteOf = (suites: SuiteResult[], name: string): SuiteResult => suites.find((s) => s.suite === name)!;
const metric = (s: SuiteResult, key: string): number | undefined => s.metrics.find((m) => m.key === key && m.layer === "wire")?.value;

describe("defineProtocol()", () => {
  it("names what is missing or wrong", () => {
    assert.throws(() => defineProtocol({} as never), /name must be a non-empty string/);
    assert.throws(() => defineProtocol({ name: "x", subscribe: (ch) => ch }), /subscribe need ack\(message\)/);
    assert.throws(() => defineProtocol({ name: "x", publish: (ch) => ch, ack: () => undefined }), /publish needs delivery\(message\)/);
    const halfEcho = { name: "x", echo: { request: (p: string) => p } } as never;
    assert.throws(() => defineProtocol(halfEcho), /echo must be \{ request\(stamp, fields\) => frame, reply/);
    assert.throws(
      () => defineProtocol({ name: "x", tokens: { root: "t" } } as never),
      /tokens\.root: roles are subscriber, publisher, admin/,
    );
  });

  it("carries the correlation id inside the payload, so only the payload has to come back", () => {
    const profile = defineProtocol({
      name: "wrap",
      echo: { request: (p) => JSON.stringify({ t: "e", p }), reply: (f) => JSON.parse(f).p },
    });
    const session = profile.open(OFFLINE_LINK);
    const frame = session.echo!(42, "hello") as string;
    // a server that rewrites everything around the payload still correlates
    const rewritten = JSON.stringify({ p: JSON.parse(frame).p, server: "added", t: "echoed" });
    assert.deepEqual(session.decode(rewritten), { op: "echo", id: 42, p: "" });
    assert.equal(session.decode("not json"), undefined, "a frame the profile cannot read is no reply, and nothing throws");
  });
});

describe(`the echo profile against an echo server on the ws package's own API, from ${runtime}`, () => {
  let server: Spawned;
  let suites: SuiteResult[];
  let json: ReturnType<typeof JSON.stringify>;
  let report: Awaited<ReturnType<ReturnType<typeof stress>["run"]>>;
  before(async () => {
    server = await startEcho("--require", "x-api-key=s3cret-value");
    report = await stress()
      .target(server.url)
      .profile("echo")
      .headers({ "x-api-key": "s3cret-value" })
      .subprotocols("chat.v2", "chat.v1")
      .level("minimal")
      .warmup(false)
      .run();
    suites = report.json.levels[0].suites;
    json = JSON.stringify(report.json);
  });
  after(() => server?.stop());

  it("runs the connection, message and compression suites with no error", () => {
    for (const name of ["connection", "message", "compression"]) {
      const s = suiteOf(suites, name);
      assert.equal(s.status, "ok", name);
      assert.deepEqual(s.errors, [], name);
    }
    assert.equal(metric(suiteOf(suites, "message"), "errors"), 0);
    assert.ok(metric(suiteOf(suites, "message"), "round_trips_per_s")! > 0);
    assert.equal(metric(suiteOf(suites, "connection"), "failures"), 0);
  });

  it("skips the suites the profile cannot express, with the reason and no figure", () => {
    for (const name of ["subscription", "broadcast", "permission"]) {
      const s = suiteOf(suites, name);
      assert.equal(s.status, "skipped", name);
      assert.match(s.reason!, /the echo profile has no .*subscribe/);
      assert.deepEqual(s.metrics, [], `${name} shows no zeros`);
      assert.equal(s.verdict, "none", `${name} is judged neither good nor bad`);
    }
    assert.equal(report.json.status, "complete", "skipped suites leave the run complete");
    assert.ok(
      report.json.analysis.recommendations.every((r) => !/subscription|broadcast|permission/.test(r.text)),
      "nor do they draw a recommendation",
    );
    assert.match(report.markdown(), /\*\*skipped: the echo profile has no subscribe, unsubscribe, ack recognition\*\*/);
    assert.match(report.terminal(), /subscription\s+\(skipped\)\n\s+↳ skipped: the echo profile/);
    assert.match(report.html(), /skipped: the echo profile has no/);
    assert.ok(
      compareResults(report.json, report.json).caveats.some((c) =>
        /minimal broadcast was skipped in the baseline: the echo profile/.test(c)
      ),
    );
  });

  it("sends the headers and reports the subprotocol the server chose, naming the header but never its value", () => {
    assert.equal(report.json.server.handshake?.subprotocol, "chat.v2");
    assert.deepEqual(report.json.plan.connection, {
      headers: ["x-api-key"],
      subprotocols: ["chat.v2", "chat.v1"],
      tokens: [],
      customCa: false,
    });
    assert.deepEqual(report.json.plan.profile, { name: "echo", module: "echo" });
    assert.ok(!json.includes("s3cret-value"), "the header's value is nowhere in the result");
  });

  it("reports that the server declined permessage-deflate when the client offered it", () => {
    const expected = runtime === "deno" ? "not offered" : "declined";
    assert.equal(report.json.server.handshake?.perMessageDeflate, expected);
  });

  it("counts every refused handshake when the required header is missing", async () => {
    const refused = await stress().target(server.url).profile("echo").level("minimal").suite("connection").warmup(false).timeout(5000)
      .run();
    const connection = refused.json.levels[0].suites[0];
    assert.equal(metric(connection, "failures"), 10);
  });
});

describe(`the echo profile and permessage-deflate from ${runtime}`, () => {
  let server: Spawned;
  before(async () => {
    server = await startEcho("--deflate");
  });
  after(() => server?.stop());

  it("reports the deflate the handshake negotiated, and measures it", async () => {
    const report = await stress().target(server.url).profile("echo").level("minimal").suite("compression").warmup(false).run();
    const negotiated = runtime !== "deno";
    assert.equal(report.json.server.handshake?.perMessageDeflate, negotiated ? "negotiated" : "not offered");
    const compression = report.json.levels[0].suites[0];
    assert.equal(compression.status, "ok");
    if (negotiated) assert.ok(metric(compression, "savings_pct")! > 20, JSON.stringify(compression.metrics));
  });
});

describe(`a custom defineProtocol profile from ${runtime}`, () => {
  let server: Spawned;
  before(async () => {
    server = await startEcho();
  });
  after(() => server?.stop());

  const jsonEcho = defineProtocol({
    name: "json-echo",
    echo: { request: (payload) => JSON.stringify({ type: "echo", payload }), reply: (frame) => JSON.parse(frame).payload },
  });

  it("runs the message suite through the user's framing", async () => {
    const report = await stress().target(server.url).profile(jsonEcho).level("minimal").suite("message", "subscription").warmup(false)
      .run();
    const [message, subscription] = report.json.levels[0].suites;
    assert.equal(message.status, "ok");
    assert.equal(metric(message, "errors"), 0);
    assert.equal(message.histograms["wire.rtt"].count, 1000);
    assert.equal(subscription.status, "skipped");
    assert.match(subscription.reason!, /json-echo profile has no subscribe, unsubscribe, ack recognition/);
    assert.deepEqual(report.json.plan.profile, { name: "json-echo" });
  });

  it("is refused as an object for a level that needs worker processes, before any load", async () => {
    await assert.rejects(
      stress().target(server.url).profile(jsonEcho).level("minimal").connectionsPerProcess(5).warmup(false).run(),
      /level minimal needs worker processes .* pass its module path instead/,
    );
  });

  it("needs a target: the embedded server speaks wsstress", () => {
    assert.throws(
      () => stress().profile("echo").plan(),
      /^RangeError: profile: echo speaks to a server of yours, and no target names it; allowed: a target\(url\)/,
    );
    assert.throws(
      () => stress().profile("nope"),
      /unknown profile "nope"; allowed: wsstress, echo, socketio, graphql-ws, mqtt, a module path/,
    );
  });
});

describe(`the wsstress profile against the reference server in a separate process, from ${runtime}`, () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(runtime, { perMessageDeflate: true, timeoutMs: 10_000 });
  });
  after(() => server?.stop());

  it("runs every suite through the target path, with no error and no wrong allow", async () => {
    const report = await stress().target(server.url).profile("wsstress").level("minimal").warmup(false).run();
    assert.equal(report.json.server.embedded, false);
    const suites = report.json.levels[0].suites;
    assert.deepEqual(suites.map((s) => s.suite), ["connection", "message", "subscription", "broadcast", "permission", "compression"]);
    for (const s of suites) {
      assert.equal(s.status, "ok", s.suite);
      assert.deepEqual(s.errors, [], s.suite);
    }
    assert.equal(metric(suiteOf(suites, "permission"), "wrong_allows"), 0);
    assert.equal(metric(suiteOf(suites, "broadcast"), "lost"), 0);
    assert.ok(metric(suiteOf(suites, "connection"), "server_connections")! >= 10, "the reference server answers stats");
  });

  it("takes the tokens it is given, and a wrong one is refused and counted", async () => {
    const report = await stress().target(server.url).tokens({ admin: "not-the-admin-token" }).level("minimal").suite("permission").warmup(
      false,
    ).run();
    const permission = report.json.levels[0].suites[0];
    assert.ok(permission.errors.some((e) => e.class === "setup_refused"), JSON.stringify(permission.errors));
    assert.deepEqual(report.json.plan.connection?.tokens, ["admin"]);
    assert.ok(!JSON.stringify(report.json).includes("not-the-admin-token"));
  });
});

describe(`wss:// with a CA of our own, from ${runtime}`, () => {
  let dir: string;
  let server: Spawned;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "wsstress-tls-"));
    // a CA and a server certificate it signed (rustls, under Deno, refuses a self-signed CA as the server's own)
    const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=wsstress test CA",
      "-keyout",
      "ca-key.pem",
      "-out",
      "ca.pem",
    );
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "key.pem", "-out", "server.csr");
    writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n");
    openssl(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca-key.pem",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "san.ext",
      "-out",
      "cert.pem",
    );
    server = await startEcho("--tls", dir);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("connects when the CA is given, and says so by name only", async () => {
    assert.match(server.url, /^wss:/);
    const ca = readFileSync(join(dir, "ca.pem"), "utf8");
    const report = await stress().target(server.url).profile("echo").ca(ca).level("minimal").suite("message", "compression").warmup(false)
      .run();
    const [message, compression] = report.json.levels[0].suites;
    assert.equal(message.status, "ok");
    assert.equal(metric(message, "errors"), 0);
    assert.equal(compression.status, "skipped");
    assert.match(compression.reason!, /cannot stand in front of a wss:\/\/ target/);
    assert.equal(report.json.plan.connection?.customCa, true);
    assert.ok(!JSON.stringify(report.json).includes("BEGIN CERTIFICATE"));
  });

  it("fails every handshake without it: the certificate is not trusted", async () => {
    const report = await stress().target(server.url).profile("echo").level("minimal").suite("connection").warmup(false).timeout(5000).run();
    assert.equal(metric(report.json.levels[0].suites[0], "failures"), 10);
  });
});
