/**
 * `--ca` against the most ordinary TLS WebSocket server there is: Node's
 * `https` + `ws` (HTTP/1.1 only) with a self-signed certificate made by
 * `openssl req -x509`, which marks it `CA:TRUE`. The CLI runs on the runtime
 * running this file, in one process and with load workers. Deno's own
 * `WebSocket` (rustls) refuses such a certificate as a server's own and reports
 * "NoApplicationProtocol" from its HTTP/2 fallback; the Deno adapter reaches
 * such servers through `ws` over `node:tls`, as Node does.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findExecutable } from "../src/host/executables.ts";
import type { Result } from "../src/model/result.ts";
import { runCli, runtime } from "./_cli.ts";
import { type Spawned, spawnServer } from "./_spawn-server.ts";

const ECHO_SERVER = fileURLToPath(new URL("./fixtures/ws-echo-server.ts", import.meta.url));

const wire = (result: Result, key: string): number | undefined =>
  result.levels[0].suites[0].metrics.find((m) => m.key === key && m.layer === "wire")?.value;

describe(`--ca from ${runtime} against a Node https + ws server with a self-signed certificate`, () => {
  let dir: string;
  let server: Spawned;
  let runs = 0;
  /** one CLI run of the message suite at the minimal level (10 connections); its result document */
  const run = async (...args: string[]): Promise<Result> => {
    const json = join(dir, `result-${++runs}.json`);
    const plan = ["--target", server.url, "--profile", "echo", "--level", "minimal", "--suite", "message"];
    const cli = await runCli([...plan, "--json", json, ...args], 120_000);
    assert.equal(cli.timedOut, false);
    return JSON.parse(readFileSync(json, "utf8")) as Result;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "wsstress-ca-"));
    execFileSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      "key.pem",
      "-out",
      "cert.pem",
    ], { cwd: dir, stdio: "ignore" });
    assert.equal(new X509Certificate(readFileSync(join(dir, "cert.pem"))).ca, true, "the certificate rustls refuses as a server's own");
    // the fixture is a Node program on the ws package: it runs on Node whatever runtime the test runs on
    server = await spawnServer(findExecutable("node")!, [ECHO_SERVER, "--tls", dir]);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves every round trip with --ca, from one process", async () => {
    const result = await run("--ca", join(dir, "cert.pem"));
    assert.deepEqual(result.levels[0].suites[0].errors, []);
    assert.equal(wire(result, "round_trips_per_conn_min"), 100);
  });

  it("serves every round trip with --ca from load workers too", async () => {
    const result = await run("--ca", join(dir, "cert.pem"), "--connections-per-process", "4");
    assert.ok((result.levels[0].resources?.workerProcesses ?? 0) >= 2, JSON.stringify(result.levels[0].resources));
    assert.deepEqual(result.levels[0].suites[0].errors, []);
    assert.equal(wire(result, "round_trips_per_conn_min"), 100);
  });

  it("fails every connection without --ca, naming the untrusted certificate", async () => {
    const result = await run();
    const [error] = result.levels[0].suites[0].errors;
    assert.equal(error?.class, "connect_failed");
    assert.match(error.message, /certificate|UnknownIssuer|self.signed/i);
    assert.equal(wire(result, "round_trips_per_conn_max"), 0);
  });
});
