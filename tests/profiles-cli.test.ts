/**
 * The CLI's side of stressing your own server: a remote target is refused
 * before a single packet leaves, bad values of the new flags exit 2 with what
 * is allowed, and a profile module reaches worker processes by its path.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseResult } from "../mod.ts";
import { findExecutable } from "../src/host/executables.ts";
import { assertExit, runCli, runtime } from "./_cli.ts";
import { type Spawned, spawnServer } from "./_spawn-server.ts";

const ECHO_SERVER = fileURLToPath(new URL("./fixtures/ws-echo-server.ts", import.meta.url));
const PROFILE = fileURLToPath(new URL("./fixtures/json-echo-profile.ts", import.meta.url));
const USAGE_TIMEOUT_MS = 30_000;

/** an address of this machine that is not loopback, or a documentation address (192.0.2.0/24) when it has none */
function outsideAddress(): { host: string; local: boolean } {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return { host: a.address, local: true };
  }
  return { host: "192.0.2.1", local: false };
}

describe(`a target outside loopback on ${runtime}`, () => {
  let listener: Server;
  let accepted = 0;
  let port = 0;
  const { host, local } = outsideAddress();
  before(async () => {
    // listens on every address, so a packet to the outside address would be seen here
    listener = createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "0.0.0.0", resolve));
    port = (listener.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  it("is refused without --allow-remote, exit 2, and no connection is made", async () => {
    const run = await runCli(["--target", `ws://${host}:${port}/ws`, "--level", "minimal", "--suite", "message"], USAGE_TIMEOUT_MS);
    assertExit(run, 2);
    assert.match(
      run.stderr,
      /^wsstress: --target: "[^"]+" is not on loopback, and remote load was not asked for; allowed: .*--allow-remote/m,
    );
    assert.equal(run.stdout, "");
    if (local) assert.equal(accepted, 0, "the listener behind that address saw no connection");
  });
});

describe(`the profile and handshake flags reject bad values with exit 2 on ${runtime}`, () => {
  const cases: Array<{ args: string[]; says: RegExp }> = [
    {
      args: ["--profile", "nope", "--target", "ws://127.0.0.1:9/"],
      says: /^wsstress: --profile: unknown profile "nope"; allowed: wsstress, echo, socketio, graphql-ws, mqtt, a module path/,
    },
    {
      args: ["--profile", "echo"],
      says:
        /^wsstress: profile: echo speaks to a server of yours, and no target names it; allowed: a target\(url\) \(--target URL\) with it/,
    },
    {
      args: ["--allow-remote"],
      says:
        /^wsstress: --allow-remote: applies to --target URL or --dashboard, and there is neither; allowed: --allow-remote with --target URL or --dashboard$/m,
    },
    {
      args: ["--target", "http://127.0.0.1:9/"],
      says: /^wsstress: --target: "http:\/\/127\.0\.0\.1:9\/" uses http:\/\/; allowed: a ws:\/\/ or wss:\/\/ URL/m,
    },
    { args: ["--token", "root=abc"], says: /^wsstress: --token: unknown role "root"; allowed: subscriber, publisher, admin$/m },
    {
      args: ["--token", "admin:secret"],
      says: /^wsstress: --token: cannot read the value given; allowed: ROLE=TOKEN with ROLE one of subscriber, publisher, admin$/m,
    },
    {
      args: ["--header", "no-colon"],
      says: /^wsstress: --header: cannot read "no-colon"; allowed: 'Name: value', e\.g\. 'Authorization: Bearer abc'$/m,
    },
    { args: ["--header", "Sec-WebSocket-Key: x"], says: /set by the WebSocket handshake itself/ },
    {
      args: ["--subprotocol", "a b"],
      says: /^wsstress: --subprotocol: subprotocol "a b" is not a token; allowed: a token: letters, digits/m,
    },
    { args: ["--ca", "/nonexistent-wsstress-ca.pem"], says: /--ca \/nonexistent-wsstress-ca\.pem cannot be read/ },
    {
      args: ["--profile", "./nonexistent-profile.ts", "--target", "ws://127.0.0.1:9/", "--level", "minimal"],
      says: /profile module .*nonexistent-profile\.ts could not be loaded/,
    },
  ];
  for (const c of cases) {
    it(c.args.join(" "), async () => {
      const run = await runCli(c.args, USAGE_TIMEOUT_MS);
      assertExit(run, 2);
      assert.match(run.stderr, c.says);
      assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
      if (c.args[0] === "--token") assert.doesNotMatch(run.stderr, /secret|abc/, "a token's value never reaches the message");
    });
  }
});

describe(`a profile module on the command line on ${runtime}`, () => {
  let server: Spawned;
  before(async () => {
    server = await spawnServer(findExecutable("node")!, [ECHO_SERVER]);
  });
  after(() => server?.stop());

  it("is loaded again by path in every worker process of a level that needs them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wsstress-profile-cli-"));
    try {
      const json = join(dir, "result.json");
      const run = await runCli([
        "--target",
        server.url,
        "--profile",
        PROFILE,
        "--level",
        "minimal",
        "--suite",
        "message",
        "--connections-per-process",
        "5",
        "--json",
        json,
      ], 120_000);
      assertExit(run, 0);
      assert.match(run.stdout, /profile json-echo/);
      const result = parseResult(JSON.parse(readFileSync(json, "utf8")));
      assert.deepEqual(result.plan.profile, { name: "json-echo", module: PROFILE });
      const message = result.levels[0].suites[0];
      assert.equal(message.status, "ok");
      assert.equal(message.generator?.processes, 2, "two worker processes ran the level's shares");
      assert.equal(message.metrics.find((m) => m.key === "errors")?.value, 0);
      assert.equal(message.histograms["wire.queued_rtt"].count, 1000, "every planned round trip of the capacity phase");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
