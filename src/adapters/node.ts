// https://nodejs.org/api/http.html
// https://github.com/websockets/ws/blob/master/doc/ws.md
/**
 * The Node adapter: `node:http` + the `ws` package for the server and for the
 * client (Node's built-in WebSocket is about 3× slower at handshakes).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import process from "node:process";
import { WebSocket, WebSocketServer } from "ws";
import type { ClientHandlers, ClientSocket, ConnectOptions, Memory, Runtime, ServeOptions, ServerHandle } from "../model/runtime-contract.ts";
import { createHub, transportLimit } from "../hub/hub.ts";
import { HUB_DEFAULTS, originAllowed } from "../model/hub-options.ts";
import { createPeer } from "../hub/peer.ts";
import { CLOSE_GRACE_MS, DEFAULT_HOST, memoryOf, settleWithin, startIdleSweep, unopened, wsUrl } from "./_shared.ts";

const memory = (): Memory => memoryOf(process.memoryUsage());

/** Accept queue depth: a level opening thousands of sockets at once must not hit SYN retries. */
const BACKLOG = 4096;

async function serve(options: ServeOptions = {}): Promise<ServerHandle> {
  const host = options.host ?? DEFAULT_HOST;
  const perMessageDeflate = options.perMessageDeflate ?? false;
  const hub = createHub(options.hub, { runtime: "node", memory });
  const maxBuffered = options.hub?.maxBufferedBytes ?? HUB_DEFAULTS.maxBufferedBytes;

  const http = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket only\n");
  });
  const wss = new WebSocketServer({
    server: http,
    perMessageDeflate,
    maxPayload: transportLimit(options.hub),
    verifyClient: options.hub?.allowedOrigins && ((info, done) => done(originAllowed(options.hub, info.req.headers.origin), 403, "origin not allowed")),
  });
  const stopSweep = startIdleSweep(hub, options.hub?.idleTimeoutMs);

  wss.on("connection", (ws) => {
    // bufferedAmount counts ws's queue and the socket's: past the bound the peer is cut, not queued for
    const send = (text: string): void => (ws.bufferedAmount > maxBuffered ? hub.overflow(peer) : ws.send(text));
    const close = (code: number, reason: string): void => {
      ws.close(code, reason);
      // a peer that reads nothing never answers the close: its buffers must not wait for ws's 30 s timeout
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    };
    const peer = createPeer(send, close);
    hub.open(peer);
    ws.on("message", (data: Buffer) => hub.message(peer, data.toString()));
    ws.on("close", () => hub.close(peer));
    // protocol errors (bad frames, oversized payloads) close the socket; "close" cleans up
    ws.on("error", () => {});
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

function connect(url: string, handlers: ClientHandlers, options: ConnectOptions = {}): ClientSocket {
  let ws: WebSocket;
  try {
    // ws offers deflate unless told not to; the other adapters default to off
    ws = new WebSocket(url, options.protocols ? [...options.protocols] : undefined, {
      perMessageDeflate: options.perMessageDeflate ?? false,
      ...(options.headers ? { headers: { ...options.headers } } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
    });
  } catch (error) {
    return unopened(error, handlers);
  }
  ws.on("open", () => handlers.onOpen());
  ws.on("message", (data: Buffer) => handlers.onMessage(data.toString()));
  ws.on("error", (error) => handlers.onError(error));
  ws.on("close", (code, reason) => handlers.onClose(code, reason.toString()));
  return ws;
}

export const nodeRuntime: Runtime = {
  name: "node",
  version: process.versions.node,
  serve,
  connect,
  clientPerMessageDeflate: true,
  memory,
};
