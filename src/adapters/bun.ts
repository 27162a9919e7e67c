// https://bun.sh/docs/api/websockets
// https://bun.sh/docs/api/http
/**
 * The Bun adapter: `Bun.serve` with `websocket` handlers. Publish fan-out uses
 * Bun's native topics (`ws.subscribe`, `server.publish`), which frame a
 * message once in native code for every subscriber. The client is Bun's
 * global `WebSocket`, which takes a `perMessageDeflate` option.
 */
import process from "node:process";
import type {
  ClientHandlers,
  ClientSocket,
  ConnectOptions,
  Memory,
  Runtime,
  ServeOptions,
  ServerHandle,
} from "../model/runtime-contract.ts";
import type { Fanout } from "../hub/channels.ts";
import { createHub, transportLimit } from "../hub/hub.ts";
import { HUB_DEFAULTS, originAllowed } from "../model/hub-options.ts";
import { createPeer, type Peer } from "../hub/peer.ts";
import { connectStandard, DEFAULT_HOST, memoryOf, startIdleSweep, wsUrl } from "./_shared.ts";
import { connectRawSocket } from "./_raw-socket.ts";

// The few shapes of Bun's API this file uses, declared here instead of pulling in @types/bun.
type BunSocket = {
  data: BunPeer;
  /** bytes sent, -1 when queued under backpressure, 0 when dropped (over `backpressureLimit`) */
  send(data: string, compress?: boolean): number;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  getBufferedAmount(): number;
};
type BunServer = {
  readonly port: number;
  upgrade(req: Request): boolean;
  publish(topic: string, data: string, compress?: boolean): number;
  subscriberCount(topic: string): number;
  stop(closeActiveConnections?: boolean): Promise<void>;
};
type BunServeOptions = {
  hostname: string;
  port: number;
  fetch(req: Request, server: BunServer): Response | undefined;
  websocket: {
    perMessageDeflate: boolean;
    maxPayloadLength: number;
    idleTimeout: number;
    backpressureLimit: number;
    closeOnBackpressureLimit: boolean;
    open(ws: BunSocket): void;
    message(ws: BunSocket, message: string | Uint8Array): void;
    close(ws: BunSocket, code: number, reason: string): void;
  };
};
type BunLike = { version: string; serve(options: BunServeOptions): BunServer };
type BunWebSocketOptions = { perMessageDeflate: boolean; headers?: Record<string, string>; protocols?: string[]; tls?: { ca: string } };
type BunWebSocketConstructor = new (url: string, options: BunWebSocketOptions) => WebSocket;

// Read lazily: importing this file elsewhere (a barrel, tsc) must not need Bun.
const bun = (): BunLike => (globalThis as unknown as { Bun: BunLike }).Bun;
// Bun implements node:process; its own API has no memory figures
const memory = (): Memory => memoryOf(process.memoryUsage());

type BunPeer = Peer & { ws: BunSocket };

const decoder = new TextDecoder();

/**
 * Bun parses the upgrade request natively and shows it to `fetch` only once complete: a half-sent one is
 * cut by uWS's fixed HTTP timeout (10 s, on a 4 s timer: measured 12 s), which `idleTimeout` does not change.
 */
const BUN_HANDSHAKE =
  "handshakeTimeoutMs (--handshake-timeout) cannot be set on Bun: uWS cuts an unfinished upgrade request after its own " +
  "fixed 10 s (measured 12 s)";

/**
 * Bun's own WebSocket idle timeout, in seconds: it pings a silent connection and drops one that does not
 * answer, and it also sets how long uWS keeps a socket it has closed for the client's side of the close
 * (its default 120 s: about 16 s; 4 s at the least). Following the hub's idle timeout, when one is set,
 * brings that down without cutting anything the hub would keep: the hub closes a connection silent that long.
 */
const bunIdleSeconds = (idleTimeoutMs: number | undefined): number =>
  idleTimeoutMs === undefined ? 120 : Math.min(960, Math.max(1, Math.ceil(idleTimeoutMs / 1000)));

/** How often the subscribers' send buffers are checked: topic deliveries bypass the per-send check. */
const BACKPRESSURE_SWEEP_MS = 100;

/**
 * Native topics; recipient counts come from Bun, channel counts are kept here,
 * and `subscribed` holds every peer with a subscription, for the send-buffer sweep.
 */
function topicFanout(server: () => BunServer, compress: boolean, subscribed: Set<BunPeer>): Fanout<BunPeer> {
  const counts = new Map<string, number>();
  const release = (ch: string): void => {
    const n = (counts.get(ch) ?? 1) - 1;
    if (n > 0) counts.set(ch, n);
    else counts.delete(ch);
  };
  return {
    subscribe(peer, ch) {
      peer.ws.subscribe(ch);
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      subscribed.add(peer);
    },
    unsubscribe(peer, ch) {
      peer.ws.unsubscribe(ch);
      release(ch);
      if (peer.channels.size === 0) subscribed.delete(peer);
    },
    publish(ch, text) {
      const s = server();
      const n = s.subscriberCount(ch);
      if (n > 0) s.publish(ch, text, compress);
      return n;
    },
    // Bun has already taken a closed socket out of its topics
    drop(peer) {
      for (const ch of peer.channels) release(ch);
      subscribed.delete(peer);
    },
    channelCount: () => counts.size,
  };
}

async function serve(options: ServeOptions = {}): Promise<ServerHandle> {
  if (options.hub?.handshakeTimeoutMs !== undefined) throw new RangeError(BUN_HANDSHAKE);
  const host = options.host ?? DEFAULT_HOST;
  const perMessageDeflate = options.perMessageDeflate ?? false;
  const subscribed = new Set<BunPeer>();
  // the fan-out publishes through the server, which exists once Bun.serve returns, before any connection
  const fanout = topicFanout(() => server, perMessageDeflate, subscribed);
  const hub = createHub<BunPeer>(options.hub, { runtime: "bun", memory, fanout });
  const stopSweep = startIdleSweep(hub, options.hub?.idleTimeoutMs);
  const maxBuffered = options.hub?.maxBufferedBytes ?? HUB_DEFAULTS.maxBufferedBytes;
  const backpressureSweep = setInterval(() => {
    for (const peer of subscribed) if (peer.ws.getBufferedAmount() > maxBuffered) hub.overflow(peer);
  }, BACKPRESSURE_SWEEP_MS);

  const server: BunServer = bun().serve({
    hostname: host,
    port: options.port ?? 0,
    fetch: (req, srv) => {
      if (!originAllowed(options.hub, req.headers.get("origin"))) return new Response("origin not allowed\n", { status: 403 });
      return srv.upgrade(req) ? undefined : new Response("WebSocket only\n", { status: 426 });
    },
    websocket: {
      perMessageDeflate,
      maxPayloadLength: transportLimit(options.hub),
      idleTimeout: bunIdleSeconds(options.hub?.idleTimeoutMs),
      // Bun drops frames past twice the bound (send returns 0); a peer past the bound is cut before that,
      // at its next direct send or by the sweep for topic deliveries
      backpressureLimit: 2 * maxBuffered,
      closeOnBackpressureLimit: false,
      open(ws) {
        // the buffered amount is asked for only once a send has met backpressure (-1): the healthy path stays one call
        let pressured = false;
        const send = (text: string): void => {
          if (pressured && ws.getBufferedAmount() > maxBuffered) return hub.overflow(peer);
          // Bun compresses a message only when asked, even once deflate is negotiated
          const sent = ws.send(text, perMessageDeflate);
          if (sent === 0) return hub.overflow(peer);
          pressured = sent === -1;
        };
        const close = (code: number, reason: string): void => {
          // after close() Bun detaches the socket: a later terminate() is a no-op, and a close frame queued
          // behind unread data keeps the socket for uWS's own ~15 s. With data queued the frame could not
          // reach the client anyway, so drop the socket now; otherwise the frame goes out and Bun ends the
          // TCP connection right after it
          if (ws.getBufferedAmount() > 0) ws.terminate();
          else ws.close(code, reason);
        };
        const peer: BunPeer = { ...createPeer(send, close), ws };
        ws.data = peer;
        hub.open(peer);
      },
      message: (ws, message) => hub.message(ws.data, typeof message === "string" ? message : decoder.decode(message)),
      close: (ws) => hub.close(ws.data),
    },
  });

  const stopped = server;
  let stopping: Promise<void> | undefined;
  return {
    url: wsUrl(host, server.port),
    perMessageDeflate,
    // true: close live sockets too (they get 1001); resolves once Bun has let go of them
    stop: () => (stopping ??= (stopSweep(), clearInterval(backpressureSweep), stopped.stop(true))),
  };
}

function connect(url: string, handlers: ClientHandlers, options: ConnectOptions = {}): ClientSocket {
  const BunWebSocket = WebSocket as unknown as BunWebSocketConstructor;
  // Bun's client offers deflate unless told not to; every adapter defaults to off
  const bunOptions: BunWebSocketOptions = {
    perMessageDeflate: options.perMessageDeflate ?? false,
    ...(options.headers ? { headers: { ...options.headers } } : {}),
    ...(options.protocols ? { protocols: [...options.protocols] } : {}),
    ...(options.ca ? { tls: { ca: options.ca } } : {}),
  };
  return connectStandard(() => new BunWebSocket(url, bunOptions), handlers);
}

export const bunRuntime: Runtime = {
  name: "bun",
  get version() {
    return bun().version;
  },
  serve,
  connect,
  clientPerMessageDeflate: true,
  connectRaw: connectRawSocket,
  memory,
};
