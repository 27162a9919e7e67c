/**
 * What an attacker can cost the reference server of the runtime running this
 * file, counted from outside: the server runs in its own process (as `wsstress
 * serve` does), the kernel's `/proc/net/tcp` says which sockets it still holds
 * (ESTABLISHED or half-closed), and `/proc/PID/status` its memory. Each test
 * prints the figure it measured; the assertions only bound them generously (a
 * busy 2-core machine), far above the stated bounds of the README's limits
 * table and far below what an unbounded server does.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { startServerProcess } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { ServerProcess } from "../src/model/runtime-contract.ts";
import { heldOn, rssOf } from "./_proc-net.ts";
import { type RawClient, rawConnect, rawHalfUpgrade } from "./fixtures/raw-client.ts";
import { encodeFrame, type Frame, OP } from "./fixtures/ws-wire.ts";
import { assertExit, runCli } from "./_cli.ts";
import { startServe } from "./_serve.ts";

const name = detectRuntime();
/** a sanity bound on waits, 20× the 1 s close grace: never a speed judgement */
const WAIT_MS = 20_000;
const MIB = 1 << 20;

const isClose = (f: Frame): boolean => f.opcode === OP.close;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const report = (what: string): void => console.log(`[server bounds] ${name}: ${what}`);

function start(extraArgs: string[] = []): Promise<ServerProcess> {
  return startServerProcess(name, { perMessageDeflate: false, timeoutMs: 30_000, extraArgs });
}

/** Waits until the server holds no socket on its port but `keep`; returns the ms it took. */
async function tornDown(port: number, keep = 0): Promise<number> {
  const t0 = performance.now();
  while (heldOn(port) > keep) {
    if (performance.now() - t0 > WAIT_MS) assert.fail(`the server still holds ${heldOn(port) - keep} sockets after ${WAIT_MS} ms`);
    await sleep(20);
  }
  return performance.now() - t0;
}

/** Clients that take the server's close frame and never answer it, nor close their side. */
async function ignoringClients(url: string, n: number): Promise<RawClient[]> {
  const clients = await Promise.all(Array.from({ length: n }, () => rawConnect(url)));
  // the raw client never sends a close back; keep TCP half-open too, so only the server can end it
  for (const c of clients) c.socket.allowHalfOpen = true;
  return clients;
}

describe(`the ${name} reference server's bounds, measured from outside`, () => {
  const servers: ServerProcess[] = [];
  const clients: RawClient[] = [];
  const serve = async (args: string[] = []): Promise<{ server: ServerProcess; port: number }> => {
    const server = await start(args);
    servers.push(server);
    return { server, port: Number(new URL(server.url).port) };
  };
  before(() => assert.ok(heldOn(1) >= 0, "/proc/net/tcp is readable"));
  after(async () => {
    for (const c of clients) c.socket.destroy();
    await Promise.all(servers.map((s) => s.stop()));
  });

  it("tears down all 50 sockets of clients that ignore the close after an idle timeout", async () => {
    const { server, port } = await serve(["--idle-timeout", "500"]);
    const quiet = await ignoringClients(server.url, 50);
    clients.push(...quiet);
    await Promise.all(quiet.map((c) => c.waitFor(isClose, WAIT_MS)));
    const ms = await tornDown(port);
    assert.deepEqual([...new Set(quiet.map((c) => c.closeCode()))], [1001]);
    report(`50 clients ignoring the idle close (1001): 0 sockets held ${ms.toFixed(0)} ms after the last close frame`);
  });

  it("tears down the sockets of slow consumers it cut, with their unsent data", async () => {
    const { server, port } = await serve(["--max-buffered", String(MIB)]);
    const slow = await ignoringClients(server.url, 10);
    clients.push(...slow);
    for (const c of slow) {
      c.sendText('{"op":"sub","id":1,"ch":"public.slow"}');
      await c.waitFor((f) => f.opcode === OP.text);
      c.socket.pause();
    }
    const publisher = await rawConnect(server.url);
    clients.push(publisher);
    publisher.sendText('{"op":"auth","id":1,"token":"publisher-token"}');
    await publisher.waitFor((f) => f.opcode === OP.text);
    const p = "s".repeat(64 * 1024);
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) publisher.sendText(JSON.stringify({ op: "pub", id: i + 2, ch: "public.slow", seq: i, ts: 0, p }));
    await tornDown(port, 1);
    const ms = performance.now() - t0;
    report(`10 slow consumers flooded past a 1 MiB send buffer: 0 sockets held ${ms.toFixed(0)} ms after the flood began`);
  });

  it("fails an unmasked client frame with 1002 and tears the socket down though the client ignores the close", async () => {
    const { server, port } = await serve();
    const bad = await ignoringClients(server.url, 20);
    clients.push(...bad);
    for (const c of bad) c.send(OP.text, '{"op":"echo","id":1,"p":"unmasked"}', { mask: false });
    await Promise.all(bad.map((c) => c.waitFor(isClose, WAIT_MS)));
    assert.deepEqual([...new Set(bad.map((c) => c.closeCode()))], [1002], "RFC 6455 §5.1: the server must fail the connection");
    assert.ok(!bad.some((c) => c.frames.some((f) => f.opcode === OP.text)), "no unmasked frame was served");
    const ms = await tornDown(port);
    report(`20 unmasked frames: closed with 1002, 0 sockets held ${ms.toFixed(0)} ms after the close frames`);
  });

  it("refuses a 60 MB text frame on 4 connections at its header, without buffering it", async () => {
    const { server } = await serve();
    await sleep(300);
    const before = rssOf(server.pid);
    const frame = encodeFrame(OP.text, Buffer.alloc(60 * 1000 * 1000, 0x61));
    const big = await Promise.all([0, 1, 2, 3].map(() => rawConnect(server.url)));
    clients.push(...big);
    // each write ends when the server took all 60 MB or closed the connection
    const written = (c: RawClient): Promise<void> =>
      new Promise((resolve) => {
        c.socket.write(frame, () => resolve());
        c.socket.once("close", () => resolve());
      });
    await Promise.all(big.map(written));
    await Promise.all(big.map((c) => c.waitFor(isClose, WAIT_MS)));
    const growth = rssOf(server.pid).peak - before.peak;
    assert.deepEqual(big.map((c) => c.closeCode()), [1009, 1009, 1009, 1009]);
    const mib = (bytes: number, digits = 0): string => (bytes / MIB).toFixed(digits);
    const peaks = `${mib(before.peak)} → ${mib(before.peak + growth)} MiB (+${mib(growth, 1)} MiB)`;
    report(`4 × 60 MB frames: closed with 1009, server peak RSS ${peaks}`);
    assert.ok(growth < 60 * MIB, `the server's peak RSS grew ${mib(growth)} MiB: it buffered a frame`);
  });

  it("drops 50 half-sent upgrade requests and a trickling one at the handshake deadline, and serves on", async () => {
    // Bun's deadline is uWS's own and cannot be set (the adapter refuses the option)
    const { server, port } = await serve(name === "bun" ? [] : ["--handshake-timeout", "1000"]);
    const loris = [...Array.from({ length: 50 }, () => rawHalfUpgrade(server.url)), rawHalfUpgrade(server.url, { trickleMs: 200 })];
    const closedAfter = await Promise.race([
      Promise.all(loris.map((l) => l.closedAfter)),
      sleep(WAIT_MS).then(() => assert.fail(`${loris.filter((l) => !l.socket.closed).length} of 51 still open after ${WAIT_MS} ms`)),
    ]);
    assert.equal(heldOn(port), 0);
    const sorted = [...closedAfter].sort((a, b) => a - b);
    const [first, last] = [sorted[0].toFixed(0), sorted[50].toFixed(0)];
    report(`51 unfinished upgrade requests (one trickling a byte every 200 ms) dropped after ${first}–${last} ms`);
    const fresh = await rawConnect(server.url);
    clients.push(fresh);
    fresh.sendText('{"op":"echo","id":1,"p":"after"}');
    assert.equal(JSON.parse((await fresh.waitFor((f) => f.opcode === OP.text)).payload.toString()).p, "after");
  });

  it("wsstress serve takes --handshake-timeout, and on Bun refuses it by name with exit 2", async () => {
    if (name === "bun") {
      const refused = await runCli(["serve", "--handshake-timeout", "500"]);
      assertExit(refused, 2);
      assert.match(refused.stderr, /--handshake-timeout\) cannot be set on Bun/);
      assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
      return;
    }
    const served = await startServe(["--handshake-timeout", "500"]);
    try {
      const closedAfter = await rawHalfUpgrade(served.url).closedAfter;
      report(`wsstress serve --handshake-timeout 500: a half-sent upgrade dropped after ${closedAfter.toFixed(0)} ms`);
      assert.ok(closedAfter < WAIT_MS);
    } finally {
      await served.stop();
    }
  });
});
