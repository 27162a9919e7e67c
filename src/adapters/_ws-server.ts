// https://nodejs.org/api/http.html
// https://github.com/websockets/ws/blob/master/doc/ws.md
/**
 * The reference server on `node:http` + the `ws` package: Node runs it
 * natively and Deno through its Node compatibility layer. Deno's own
 * `Deno.serve` + `Deno.upgradeWebSocket` (2.9) gives no way to bound what an
 * attacker costs: it reads a whole frame (up to 64 MiB) before the size limit
 * can look at it, accepts unmasked client frames, never times out a half-sent
 * upgrade request and cannot tear down a socket it has closed (see the
 * limits in docs/reference-server.md). `ws` refuses an oversized frame at its header, fails an
 * unmasked one with 1002, and `terminate()` drops a socket at once.
 *
 * Every close the server starts (idle, slow reader, protocol error) ends in a
 * torn-down socket `CLOSE_GRACE_MS` after its close frame, and a connection
 * that has not completed its upgrade request within the handshake deadline is
 * dropped.
 */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { Memory, RuntimeName, ServeOptions, ServerHandle } from "../model/runtime-contract.ts";
import { createHub, transportLimit } from "../hub/hub.ts";
import { HUB_DEFAULTS, originAllowed } from "../model/hub-options.ts";
import { createPeer } from "../hub/peer.ts";
import { CLOSE_GRACE_MS, DEFAULT_HOST, settleWithin, startIdleSweep, wsUrl } from "./_shared.ts";

/** Accept queue depth: a level opening thousands of sockets at once must not hit SYN retries. */
const BACKLOG = 4096;

/** Drops a socket that never answered a close, once the grace period is over (never keeps the process alive). */
const terminateLater = (ws: WebSocket): void => void setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();

export async function serveWs(
  options: ServeOptions,
  runtime: RuntimeName,
  memory: () => Memory,
  collectGarbage: () => boolean,
): Promise<ServerHandle> {
  const host = options.host ?? DEFAULT_HOST;
  const perMessageDeflate = options.perMessageDeflate ?? false;
  const hub = createHub(options.hub, { runtime, memory, collectGarbage });
  const maxBuffered = options.hub?.maxBufferedBytes ?? HUB_DEFAULTS.maxBufferedBytes;
  const handshakeMs = options.hub?.handshakeTimeoutMs ?? HUB_DEFAULTS.handshakeTimeoutMs;

  const http = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket only\n");
  });
  // one deadline per accepted socket, from accept to a complete upgrade request (slowloris)
  const deadlines = new WeakMap<Socket, ReturnType<typeof setTimeout>>();
  http.on("connection", (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), handshakeMs);
    deadlines.set(socket, timer);
    socket.once("close", () => clearTimeout(timer));
  });
  const wss = new WebSocketServer({
    server: http,
    perMessageDeflate,
    maxPayload: transportLimit(options.hub),
    verifyClient: options.hub?.allowedOrigins &&
      ((info, done) => done(originAllowed(options.hub, info.req.headers.origin), 403, "origin not allowed")),
  });
  const stopSweep = startIdleSweep(hub, options.hub?.idleTimeoutMs);

  wss.on("connection", (ws, req) => {
    clearTimeout(deadlines.get(req.socket));
    // bufferedAmount counts ws's queue and the socket's: past the bound the peer is cut, not queued for
    const send = (text: string): void => (ws.bufferedAmount > maxBuffered ? hub.overflow(peer) : ws.send(text));
    const close = (code: number, reason: string): void => {
      ws.close(code, reason);
      // a peer that reads nothing never answers the close: its buffers must not wait for ws's 30 s timeout
      terminateLater(ws);
    };
    const peer = createPeer(send, close);
    hub.open(peer);
    ws.on("message", (data: Buffer) => hub.message(peer, data.toString()));
    ws.on("close", () => hub.close(peer));
    // a protocol error (bad frame, oversized payload, unmasked frame) has ws send its close frame (1002, 1009, …)
    // and read on, discarding; stop reading what nobody will look at (ws resumes the socket on the next tick),
    // and drop the socket after the grace period rather than ws's 30 s. "close" cleans up
    ws.on("error", () => {
      setImmediate(() => req.socket.pause());
      terminateLater(ws);
    });
  });
  // listen errors also reach the ws server, which re-emits them; the listen promise reports them
  wss.on("error", () => {});

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, host, BACKLOG, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    stopSweep();
    const clients = [...wss.clients];
    const closed = clients.map((ws) => new Promise((resolve) => ws.once("close", resolve)));
    for (const ws of clients) ws.close(1001, "server stopping");
    await settleWithin(closed, CLOSE_GRACE_MS);
    for (const ws of clients) ws.terminate();
    await settleWithin(closed, CLOSE_GRACE_MS);
    await new Promise<void>((resolve) => {
      wss.close();
      http.close(() => resolve());
      // anything still connected that never upgraded (a stray HTTP keep-alive) must not hold the listener
      http.closeAllConnections();
    });
  };

  return {
    url: wsUrl(host, port),
    perMessageDeflate,
    stop: () => (stopping ??= stop()),
  };
}
