/**
 * The "stress your own server" examples run as a user would run them: each
 * example server on its own runtime in a process of its own, and the script
 * that stresses it on the runtime under test.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findExecutable } from "../src/host/executables.ts";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { RuntimeName } from "../src/model/runtime-contract.ts";
import { type Spawned, spawnServer } from "./_spawn-server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const runtime = detectRuntime();

/** every suite's line of a script that prints `suite: status, N errors` */
const ALL_SIX_OK = ["connection", "message", "subscription", "broadcast", "permission", "compression"]
  .map((s) => new RegExp(`^${s}: ok, 0 errors$`, "m"));

type Example = { server: string; on: RuntimeName; env?: Record<string, string>; script: string; says: RegExp[] };
const EXAMPLES: Example[] = [
  {
    server: "servers/hono-node.ts",
    on: "node",
    script: "stress-hono.ts",
    says: [/^light message: ok, 0 errors$/m, /Level 2\/2: light/, /subscription\s+\(skipped\)/],
  },
  {
    server: "servers/deno-echo.ts",
    on: "deno",
    script: "stress-deno-echo.ts",
    says: [/^permessage-deflate (declined|not offered), subprotocol "echo\.v1"$/m, /headers authorization · subprotocols offered echo\.v1/],
  },
  {
    server: "servers/bun-topics.ts",
    on: "bun",
    script: "stress-bun-topics.ts",
    says: [
      ...["connection", "message", "subscription", "broadcast", "compression"].map((s) => new RegExp(`^${s}: ok, 0 error classes$`, "m")),
      /^permission: skipped \(no token for subscriber, admin/m,
      /lost deliveries\s+0/,
    ],
  },
  {
    server: "servers/chat.ts",
    on: "node",
    script: "stress-chat.ts",
    says: [
      ...["minimal", "light"].flatMap((level) =>
        ["connection", "message", "subscription", "broadcast", "compression"].map((s) => new RegExp(`^${level} ${s}: ok, 0 errors$`, "m"))
      ),
      /^light permission: skipped \(the chat profile has no authenticate\)$/m,
      /setup p50/,
    ],
  },
  {
    server: "servers/chat.ts",
    on: "node",
    script: "stress-chat-room.ts",
    // one scenario, the reference server's and the chat server's: 10 virtual users × 20 iterations on each
    says: ["reference server", "chat server"].flatMap((server) => [
      new RegExp(`^${server}: ok, 200 iterations, 0 checks failed, 0 errors$`, "m"),
      new RegExp(`^${server}: publish-to-receipt p99 [\\d.]+ ms, round trips p99 [\\d.]+ ms$`, "m"),
    ]),
  },
  {
    server: "servers/actioncable.ts",
    on: "node",
    script: "stress-actioncable.ts",
    says: [
      ...["connection", "message", "broadcast", "compression"].map((s) => new RegExp(`^${s}: ok, 0 errors$`, "m")),
      /^subscription: skipped \(the actioncable profile has no unsubscribe\)$/m,
    ],
  },
  {
    server: "servers/socketio.ts",
    on: "node",
    env: { ROLES: "1" },
    script: "stress-socketio.ts",
    says: [
      ...ALL_SIX_OK,
      /wrong allows\s+0/,
    ],
  },
  {
    server: "servers/graphql-ws.ts",
    on: "node",
    script: "stress-graphql-ws.ts",
    says: ALL_SIX_OK,
  },
  {
    server: "servers/mqtt-aedes.ts",
    on: "node",
    script: "stress-mqtt.ts",
    says: [
      ...ALL_SIX_OK,
      /^QoS 0: 500 of 500 deliveries, 0 lost, 0 duplicated/m,
      /^QoS 1: 500 of 500 deliveries, 0 lost, 0 duplicates \(legal: at least once\)/m,
    ],
  },
];

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

for (const example of EXAMPLES) {
  describe(`examples/${example.script} on ${runtime} against examples/${example.server} on ${example.on}`, () => {
    let server: Spawned;
    before(async () => {
      const { command, args } = runtimeCommand(example.on, join(ROOT, "examples", example.server), findExecutable(example.on));
      server = await spawnServer(command, args, { cwd: ROOT, env: { PORT: "0", ...example.env } });
    });
    after(() => server?.stop());

    it("stresses the server and reports every suite, the skipped ones with their reason", async () => {
      const { command, args } = runtimeCommand(runtime, join(ROOT, "examples", example.script));
      const ran = await run(command, [...args, server.url]);
      assert.equal(ran.code, 0, `${ran.stderr.slice(-3000)}\nserver:\n${server.output().slice(-2000)}`);
      for (const pattern of example.says) assert.match(ran.stdout, pattern);
    });
  });
}
