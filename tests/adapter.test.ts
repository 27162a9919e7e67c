/**
 * The adapter of the runtime running this file, over real loopback sockets:
 * `node --test`, `deno test -A` and `bun test` each check their own.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { ClientSocket, ConnectOptions, Runtime, ServerHandle } from "../src/model/runtime-contract.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { Reply } from "../src/protocol/messages.ts";

type Closed = { code: number; reason: string };

/** A test client: collects what arrives, answers requests by id. */
class Client {
  readonly inbox: string[] = [];
  readonly errors: Error[] = [];
  socket!: ClientSocket;
  closed: Promise<Closed>;
  #waiters: Array<() => void> = [];
  #onClose!: (closed: Closed) => void;

  constructor() {
    this.closed = new Promise((resolve) => (this.#onClose = resolve));
  }

  static open(runtime: Runtime, url: string, options?: ConnectOptions): Promise<Client> {
    const client = new Client();
    return new Promise((resolve, reject) => {
      client.socket = runtime.connect(url, {
        onOpen: () => resolve(client),
        onMessage: (data) => {
          client.inbox.push(typeof data === "string" ? data : new TextDecoder().decode(data));
          for (const wake of client.#waiters.splice(0)) wake();
        },
        onError: (error) => client.errors.push(error),
        onClose: (code, reason) => {
          client.#onClose({ code, reason });
          reject(new Error(`closed before opening: ${code}`));
        },
      }, options);
    });
  }

  /** Resolves with the first message `match` accepts, removing it from the inbox. */
  async take(match: (reply: Reply) => boolean): Promise<Reply> {
    for (;;) {
      const i = this.inbox.findIndex((m) => match(JSON.parse(m)));
      if (i >= 0) return JSON.parse(this.inbox.splice(i, 1)[0]);
      await new Promise<void>((wake) => this.#waiters.push(wake));
    }
  }

  request(frame: { id: number; [key: string]: unknown }): Promise<Reply> {
    this.socket.send(JSON.stringify(frame));
    return this.take((r) => "id" in r && r.id === frame.id);
  }
}

const name = detectRuntime();

describe(`the ${name} adapter`, () => {
  let runtime: Runtime;
  let server: ServerHandle;
  const clients: Client[] = [];
  const open = async (options?: ConnectOptions): Promise<Client> => {
    const c = await Client.open(runtime, server.url, options);
    clients.push(c);
    return c;
  };

  before(async () => {
    runtime = await currentRuntime();
    server = await runtime.serve({ perMessageDeflate: true });
  });

  after(async () => {
    await server.stop();
  });

  it("is the adapter of the runtime running the tests, serving on an ephemeral loopback port", () => {
    assert.equal(runtime.name, name);
    assert.match(runtime.version, /^\d+\.\d+\.\d+/);
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(server.url, "ws://127.0.0.1:0/");
  });

  it("echoes a frame back with the same id and payload", async () => {
    const c = await open();
    const p = 'héllo "wire" 😀'.repeat(20);
    assert.deepEqual(await c.request({ op: "echo", id: 1, p }), { op: "echo", id: 1, p });
  });

  it("delivers a publish to its 3 subscribers, not to a 4th client, and acks n = 3", async () => {
    const subs = await Promise.all([open(), open(), open()]);
    const bystander = await open();
    const publisher = await open();
    for (const s of subs) assert.deepEqual(await s.request({ op: "sub", id: 1, ch: "public.adapter" }), { op: "ack", id: 1, ok: true });
    assert.equal((await publisher.request({ op: "auth", id: 1, token: "publisher-token" }) as { role: string }).role, "publisher");

    const ack = await publisher.request({ op: "pub", id: 2, ch: "public.adapter", seq: 7, ts: 99.5, p: "fan" });
    assert.deepEqual(ack, { op: "ack", id: 2, ok: true, n: 3 });
    for (const s of subs) {
      assert.deepEqual(await s.take((r) => r.op === "msg"), { op: "msg", ch: "public.adapter", seq: 7, ts: 99.5, p: "fan" });
    }
    // a delivery to the bystander would have been written before the ack, so before this echo
    await bystander.request({ op: "echo", id: 3, p: "" });
    assert.deepEqual(bystander.inbox, []);
  });

  it("refuses a publish from a guest as forbidden", async () => {
    const guest = await open();
    assert.deepEqual(
      await guest.request({ op: "pub", id: 4, ch: "public.adapter", seq: 0, ts: 0, p: "x" }),
      { op: "ack", id: 4, ok: false, code: "forbidden" },
    );
  });

  it("takes a channel away from a connection whose role was lowered, says so, and lets it leave (native topics too)", async () => {
    const lowered = await open();
    const admin = await open();
    for (const c of [lowered, admin]) await c.request({ op: "auth", id: 1, token: "admin-token" });
    for (const ch of ["secret.adapter", "news.adapter"]) {
      assert.equal((await lowered.request({ op: "sub", id: 2, ch }) as { ok: boolean }).ok, true);
    }
    assert.deepEqual(
      await lowered.request({ op: "auth", id: 3, token: "subscriber-token" }),
      { op: "ack", id: 3, ok: true, role: "subscriber", dropped: ["secret.adapter"] },
    );
    const publish = (id: number, ch: string) => admin.request({ op: "pub", id, ch, seq: id, ts: 0, p: ch });
    assert.deepEqual(await publish(4, "secret.adapter"), { op: "ack", id: 4, ok: true, n: 0 });
    assert.deepEqual(await publish(5, "news.adapter"), { op: "ack", id: 5, ok: true, n: 1 });
    assert.equal((await lowered.take((r) => r.op === "msg") as { ch: string }).ch, "news.adapter");
    assert.deepEqual(await lowered.request({ op: "unsub", id: 6, ch: "secret.adapter" }), { op: "ack", id: 6, ok: true });
    assert.deepEqual(lowered.inbox, [], "no delivery of secret.adapter arrived");
  });

  it("answers stats with live connections, resident memory and the runtime name", async () => {
    const c = await open();
    const reply = await c.request({ op: "stats", id: 5 }) as {
      ok: boolean;
      stats: { connections: number; rssBytes: number; runtime: string };
    };
    assert.equal(reply.ok, true);
    assert.ok(reply.stats.connections >= 1, `connections ${reply.stats.connections}`);
    assert.ok(reply.stats.rssBytes > 0, `rssBytes ${reply.stats.rssBytes}`);
    assert.equal(reply.stats.runtime, name);
  });

  it("negotiates permessage-deflate when both server and client support it, and only when asked", async () => {
    const both = server.perMessageDeflate && runtime.clientPerMessageDeflate;
    const asking = await open({ perMessageDeflate: true });
    assert.equal(asking.socket.extensions.includes("permessage-deflate"), both, `extensions "${asking.socket.extensions}"`);
    const p = "compressible ".repeat(500);
    assert.deepEqual(await asking.request({ op: "echo", id: 6, p }), { op: "echo", id: 6, p });
    const plain = await open({ perMessageDeflate: false });
    assert.equal(plain.socket.extensions, "");
    assert.equal(server.perMessageDeflate, true, "every runtime's server negotiates deflate (Deno's through ws)");
  });

  it("reports a failed connection through onError then onClose instead of throwing", async () => {
    for (const url of ["ws://127.0.0.1:1/", "not a url"]) {
      const events: string[] = [];
      await new Promise<void>((done) => {
        runtime.connect(url, {
          onOpen: () => events.push("open"),
          onMessage: () => events.push("message"),
          onError: () => events.push("error"),
          onClose: (code) => {
            events.push(`close ${code}`);
            done();
          },
        });
      });
      assert.deepEqual(events, ["error", "close 1006"], url);
    }
  });

  it("honours a handshake deadline where the runtime lets it be set, and refuses it by name on Bun, where uWS fixes it", async () => {
    const serving = runtime.serve({ hub: { handshakeTimeoutMs: 1_000 } });
    if (name === "bun") return void await assert.rejects(serving, /handshakeTimeoutMs \(--handshake-timeout\) cannot be set on Bun/);
    const own = await serving;
    const c = await Client.open(runtime, own.url);
    assert.equal((await c.request({ op: "echo", id: 1, p: "in time" })).op, "echo");
    await own.stop();
  });

  it("stop() closes every client socket and the listener", async () => {
    const own = await runtime.serve();
    const a = await Client.open(runtime, own.url);
    const b = await Client.open(runtime, own.url);
    await own.stop();
    const closes = await Promise.all([a.closed, b.closed]);
    for (const { code } of closes) assert.ok(code === 1001 || code === 1006, `close code ${code}`);
    await assert.rejects(Client.open(runtime, own.url), "the listener is gone");
  });

  it("the serve entry script prints its URL, serves, and exits on its own when its stdin closes", async () => {
    const script = fileURLToPath(new URL("../src/bin/serve.ts", import.meta.url));
    const args = name === "deno" ? ["run", "-A", script] : [script];
    const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
      });
      child.on("exit", () => reject(new Error(`serve.ts exited early: ${out}`)));
    });
    const info = JSON.parse(line) as { url: string; runtime: string; perMessageDeflate: boolean; pid: number };
    assert.equal(info.runtime, name);
    assert.equal(info.pid, child.pid);
    const c = await Client.open(runtime, info.url);
    assert.equal((await c.request({ op: "echo", id: 1, p: "child" })).op, "echo");
    // exiting by itself, with a client still connected, proves stop() leaves no handle or timer behind
    // (stdin rather than SIGTERM: Deno's child_process reports any killed child as signalled)
    const guard = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdin.end();
    assert.equal(await exited, 0, "exit code 0, not killed by the 10 s guard");
    clearTimeout(guard);
    await c.closed;
  });
});
