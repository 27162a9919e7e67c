/**
 * The reference server of the runtime running this file, abused over real
 * loopback sockets by a bare-TCP client: origins, rate limit, idle timeout,
 * slow consumers, oversized and malformed frames. Each test starts its own
 * server with the limits it checks and stops it again.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { ServerHandle } from "../src/model/runtime-contract.ts";
import type { HubOptions } from "../src/model/hub-options.ts";
import type { LimitCounts, ServerStats } from "../src/protocol/messages.ts";
import { type RawClient, rawConnect } from "./fixtures/raw-client.ts";
import { closePayload, type Frame, OP } from "./fixtures/ws-wire.ts";

const name = detectRuntime();
/** generous: these bound waits on a busy 2-core machine, they never judge speed */
const WAIT_MS = 20_000;

const text = (f: Frame): Record<string, unknown> => JSON.parse(f.payload.toString());
const isText = (f: Frame): boolean => f.opcode === OP.text;
const replyTo = (id: number) => (f: Frame): boolean => isText(f) && text(f).id === id;

async function withServer(hub: HubOptions, body: (server: ServerHandle) => Promise<void>): Promise<void> {
  const server = await (await currentRuntime()).serve({ hub });
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

/** The server's own counts, asked on a fresh connection. */
async function statsOf(server: ServerHandle): Promise<ServerStats & { limits: LimitCounts }> {
  const probe = await rawConnect(server.url);
  try {
    probe.sendText('{"op":"stats","id":77}');
    return text(await probe.waitFor(replyTo(77), WAIT_MS)).stats as ServerStats & { limits: LimitCounts };
  } finally {
    probe.socket.destroy();
  }
}

/** Polls `check` until it holds, within WAIT_MS. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not within ${WAIT_MS} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`the ${name} reference server under abuse`, () => {
  it("refuses an upgrade from an origin off the allow-list with HTTP 403, and upgrades a listed origin or no Origin", async () => {
    await withServer({ allowedOrigins: ["https://app.example.com"] }, async (server) => {
      const refused = await rawConnect(server.url, { headers: { Origin: "https://evil.example.com" } });
      assert.equal(refused.status, 403);
      refused.socket.destroy();
      for (const headers of [{ Origin: "https://app.example.com" }, {}] as Array<Record<string, string>>) {
        const ok = await rawConnect(server.url, { headers });
        assert.equal(ok.status, 101, JSON.stringify(headers));
        ok.sendText('{"op":"echo","id":1,"p":"in"}');
        assert.equal(text(await ok.waitFor(replyTo(1))).op, "echo");
        ok.socket.destroy();
      }
    });
  });

  it("answers frames over the rate limit with rate_limited and their id", async () => {
    await withServer({ rateLimit: { perSecond: 0.001, burst: 3 } }, async (server) => {
      const c = await rawConnect(server.url);
      for (let id = 1; id <= 5; id++) c.sendText(`{"op":"echo","id":${id},"p":"r"}`);
      const replies = await Promise.all([1, 2, 3, 4, 5].map((id) => c.waitFor(replyTo(id)).then(text)));
      assert.deepEqual(replies.map((r) => r.op === "error" ? r.code : r.op), ["echo", "echo", "echo", "rate_limited", "rate_limited"]);
      c.socket.destroy();
      assert.equal((await statsOf(server)).limits.rateLimited, 2);
    });
  });

  it("closes a connection that stays silent past the idle timeout with 1001, and counts it", async () => {
    await withServer({ idleTimeoutMs: 300 }, async (server) => {
      const quiet = await rawConnect(server.url);
      const close = await quiet.waitFor((f) => f.opcode === OP.close, WAIT_MS);
      assert.equal(close.payload.readUInt16BE(0), 1001);
      quiet.socket.destroy();
      assert.ok((await statsOf(server)).limits.idleClosed >= 1);
    });
  });

  for (const how of ["echo replies", "publishes to a channel it joined"] as const) {
    it(`cuts a client that does not read ${how} with 1013 once its send buffer passes the bound, and serves others on`, async () => {
      await withServer({ maxBufferedBytes: 1 << 20 }, async (server) => {
        const slow = await rawConnect(server.url);
        const p = "s".repeat(64 * 1024);
        let sender = slow;
        if (how === "echo replies") slow.socket.pause();
        else {
          slow.sendText('{"op":"sub","id":1,"ch":"public.slow"}');
          await slow.waitFor(replyTo(1));
          slow.socket.pause();
          sender = await rawConnect(server.url);
          sender.sendText('{"op":"auth","id":1,"token":"publisher-token"}');
          await sender.waitFor(replyTo(1));
        }
        const frame = (i: number): string =>
          how === "echo replies"
            ? JSON.stringify({ op: "echo", id: i, p })
            : JSON.stringify({ op: "pub", id: i + 2, ch: "public.slow", seq: i, ts: 0, p });
        for (let i = 0; i < 300; i++) sender.sendText(frame(i));
        await eventually(async () => (await statsOf(server)).limits.slowClosed === 1, "the slow client is cut");
        slow.socket.resume();
        // the close frame may be lost with the buffered data when the socket is reset; the count above is the proof
        await Promise.race([slow.waitFor((f) => f.opcode === OP.close, WAIT_MS), slow.closed]).catch(() => {});
        assert.ok([undefined, 1013].includes(slow.closeCode()), `close code ${slow.closeCode()}`);
        slow.socket.destroy();
        sender.socket.destroy();
        const fresh = await rawConnect(server.url);
        fresh.sendText('{"op":"echo","id":9,"p":"still here"}');
        assert.equal(text(await fresh.waitFor(replyTo(9))).p, "still here");
        fresh.socket.destroy();
      });
    });
  }

  it("answers a frame over maxFrameBytes with too_large, and closes on one past the transport limit (1009)", async () => {
    await withServer({ maxFrameBytes: 1_000 }, async (server) => {
      const c = await rawConnect(server.url);
      c.sendText(JSON.stringify({ op: "echo", id: 1, p: "y".repeat(1_500) }));
      assert.equal(text(await c.waitFor(isText)).code, "too_large");
      c.sendText("z".repeat(20_000));
      const close = await c.waitFor((f) => f.opcode === OP.close, WAIT_MS);
      assert.equal(close.payload.readUInt16BE(0), 1009);
      c.socket.destroy();
      assert.equal((await statsOf(server)).limits.tooLarge, 1);
    });
  });

  it("answers each malformed frame as RFC 6455 says (a close code, or bad_request for what parses as a frame), and serves on", async () => {
    // the same on every runtime: Node and Deno through ws, Bun through uWS
    const cases: Array<[string, string, (c: RawClient) => void]> = [
      ["invalid UTF-8 in a text frame", "close 1007", (c) => c.send(OP.text, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
      ["an unmasked client frame", "close 1002", (c) => c.send(OP.text, '{"op":"echo","id":1,"p":""}', { mask: false })],
      ["reserved bits set", "close 1002", (c) => c.send(OP.text, '{"op":"echo","id":1,"p":""}', { rsv: 7 })],
      ["an unknown opcode", "close 1002", (c) => c.send(0x3, "?")],
      ["a continuation with nothing to continue", "close 1002", (c) => c.send(OP.continuation, "tail")],
      ["a fragmented control frame", "close 1002", (c) => c.send(OP.ping, "p", { fin: false })],
      ["a close frame with an invalid code", "close 1002", (c) => c.send(OP.close, closePayload(999))],
      ["a length of 2^40 that never comes", "close 1009", (c) => c.send(OP.text, "short", { claimedLength: 2 ** 40 })],
      ["binary garbage", "bad_request", (c) => c.send(OP.binary, Buffer.from([0, 1, 2, 255, 254, 10, 13]))],
      ["text that is not JSON", "bad_request", (c) => c.sendText("\u0000\u2028}{][")],
      ["raw bytes that are no frame at all", "close 1002", (c) => c.socket.write(Buffer.alloc(10, 0xff))],
    ];
    await withServer({}, async (server) => {
      for (const [what, expected, abuse] of cases) {
        const c = await rawConnect(server.url);
        abuse(c);
        const answer = await Promise.race([
          c.waitFor((f) => f.opcode === OP.close || isText(f), WAIT_MS)
            .then((f) => (isText(f) ? String(text(f).code) : `close ${c.closeCode()}`)),
          c.closed.then(() => "the TCP connection closed without a close frame"),
        ]).catch((error: Error) => error.message);
        assert.equal(answer, expected, what);
        c.socket.destroy();
      }
      const fresh = await rawConnect(server.url);
      fresh.sendText('{"op":"echo","id":5,"p":"ok"}');
      assert.equal(text(await fresh.waitFor(replyTo(5))).p, "ok");
      fresh.socket.destroy();
      await eventually(async () => (await statsOf(server)).connections === 1, "every abused connection is forgotten");
    });
  });
});
