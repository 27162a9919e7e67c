// https://docs.deno.com/api/deno/~/Deno.serve
// https://docs.deno.com/api/deno/~/Deno.upgradeWebSocket
/**
 * The Deno adapter: `Deno.serve` + `Deno.upgradeWebSocket`; the client is the
 * global `WebSocket`. Neither side of Deno's WebSocket implements
 * permessage-deflate (checked against Deno 2.9: the server ignores the offer,
 * the client never makes one), so both report `false`.
 */
import type { ClientHandlers, ClientSocket, ConnectOptions, Memory, Runtime, ServeOptions, ServerHandle } from "../model/runtime-contract.ts";
import { createHub, transportLimit } from "../hub/hub.ts";
import { HUB_DEFAULTS, originAllowed } from "../model/hub-options.ts";
import { createPeer } from "../hub/peer.ts";
import { CLOSE_GRACE_MS, connectStandard, DEFAULT_HOST, memoryOf, settleWithin, startIdleSweep, wsUrl } from "./_shared.ts";

// The few shapes of Deno's API this file uses, declared here instead of pulling in Deno's types.
type DenoServer = { readonly addr: { port: number }; shutdown(): Promise<void>; readonly finished: Promise<void> };
type DenoLike = {
  version: { deno: string };
  serve(
    options: { hostname: string; port: number; onListen(addr: unknown): void },
    handler: (req: Request) => Response,
  ): DenoServer;
  upgradeWebSocket(req: Request): { socket: WebSocket; response: Response };
  createHttpClient(options: { caCerts: string[] }): unknown;
  memoryUsage(): { rss: number; heapUsed: number };
};
/** Deno's non-standard WebSocket options: https://docs.deno.com/api/web/~/WebSocketOptions */
type DenoWebSocketConstructor = new (url: string, options: { headers?: Record<string, string>; protocols?: string[]; client?: unknown }) => WebSocket;

// Read lazily: importing this file elsewhere (a barrel, tsc) must not need Deno.
const deno = (): DenoLike => (globalThis as unknown as { Deno: DenoLike }).Deno;
const memory = (): Memory => memoryOf(deno().memoryUsage());

const decoder = new TextDecoder();

async function serve(options: ServeOptions = {}): Promise<ServerHandle> {
  const host = options.host ?? DEFAULT_HOST;
  const hub = createHub(options.hub, { runtime: "deno", memory });
  const wireLimit = transportLimit(options.hub);
  const sockets = new Set<WebSocket>();
  const maxBuffered = options.hub?.maxBufferedBytes ?? HUB_DEFAULTS.maxBufferedBytes;
  const stopSweep = startIdleSweep(hub, options.hub?.idleTimeoutMs);

  const upgrade = (req: Request): Response => {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("WebSocket only\n", { status: 426 });
    }
    if (!originAllowed(options.hub, req.headers.get("origin"))) return new Response("origin not allowed\n", { status: 403 });
    const { socket, response } = deno().upgradeWebSocket(req);
    socket.binaryType = "arraybuffer";
    // past the bound the peer is cut, not queued for
    const send = (text: string): void => (socket.bufferedAmount > maxBuffered ? hub.overflow(peer) : socket.send(text));
    const peer = createPeer(send, (code, reason) => socket.close(code, reason));
    socket.onopen = () => {
      sockets.add(socket);
      hub.open(peer);
    };
    socket.onmessage = (ev: MessageEvent) => {
      const data = ev.data;
      const text = typeof data === "string" ? data : decoder.decode(data as ArrayBuffer);
      // Deno has no payload limit option; refuse what ws and Bun would refuse at the transport
      if (text.length > wireLimit) socket.close(1009, "message too big");
      else hub.message(peer, text);
    };
    socket.onclose = () => {
      sockets.delete(socket);
      hub.close(peer);
    };
    // a socket error is followed by close, which does the cleanup
    socket.onerror = () => {};
    return response;
  };

  const server = deno().serve({ hostname: host, port: options.port ?? 0, onListen() {} }, upgrade);

  const stop = async (): Promise<void> => {
    stopSweep();
    const closed = [...sockets].map((s) => new Promise((resolve) => s.addEventListener("close", resolve)));
    for (const s of sockets) s.close(1001, "server stopping");
    await settleWithin(closed, CLOSE_GRACE_MS);
    // shutdown drops whatever did not answer the close in time
    await server.shutdown();
    await server.finished;
  };
  let stopping: Promise<void> | undefined;

  return {
    url: wsUrl(host, server.addr.port),
    perMessageDeflate: false,
    stop: () => (stopping ??= stop()),
  };
}

/** one HTTP client per CA: a client holds a TLS configuration that every socket to the target can share */
const clients = new Map<string, unknown>();
const clientFor = (ca: string): unknown => clients.get(ca) ?? (clients.set(ca, deno().createHttpClient({ caCerts: [ca] })), clients.get(ca));

function connect(url: string, handlers: ClientHandlers, options: ConnectOptions = {}): ClientSocket {
  if (!options.headers && !options.protocols && !options.ca) return connectStandard(() => new WebSocket(url), handlers);
  const DenoWebSocket = WebSocket as unknown as DenoWebSocketConstructor;
  return connectStandard(
    () =>
      new DenoWebSocket(url, {
        ...(options.headers ? { headers: { ...options.headers } } : {}),
        ...(options.protocols ? { protocols: [...options.protocols] } : {}),
        ...(options.ca ? { client: clientFor(options.ca) } : {}),
      }),
    handlers,
  );
}

export const denoRuntime: Runtime = {
  name: "deno",
  get version() {
    return deno().version.deno;
  },
  serve,
  connect,
  clientPerMessageDeflate: false,
  memory,
};
