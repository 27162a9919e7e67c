// https://docs.deno.com/api/node/
// https://docs.deno.com/api/web/~/WebSocket
/**
 * The Deno adapter. The server is `node:http` + `ws` through Deno's Node
 * compatibility (`_ws-server.ts`, shared with Node): `Deno.serve` +
 * `Deno.upgradeWebSocket` cannot bound a frame before buffering it, fail an
 * unmasked frame, time out a half-sent handshake or tear down a socket it has
 * closed (measured in the README's limits). The client is Deno's global
 * `WebSocket`, which never offers permessage-deflate (checked against Deno 2.9).
 */
import type { ClientHandlers, ClientSocket, ConnectOptions, Runtime, ServeOptions, ServerHandle } from "../core/runtime.ts";
import { connectStandard } from "./_shared.ts";
import { serveWs } from "./_ws-server.ts";
import { memory } from "./system.ts";

// The few shapes of Deno's API this file uses, declared here instead of pulling in Deno's types.
type DenoLike = { version: { deno: string }; createHttpClient(options: { caCerts: string[] }): unknown };
/** Deno's non-standard WebSocket options: https://docs.deno.com/api/web/~/WebSocketOptions */
type DenoWebSocketConstructor = new (url: string, options: { headers?: Record<string, string>; protocols?: string[]; client?: unknown }) => WebSocket;

// Read lazily: importing this file elsewhere (a barrel, tsc) must not need Deno.
const deno = (): DenoLike => (globalThis as unknown as { Deno: DenoLike }).Deno;

const serve = (options: ServeOptions = {}): Promise<ServerHandle> => serveWs(options, "deno", memory);

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
