// https://docs.deno.com/api/node/
// https://docs.deno.com/api/web/~/WebSocket
/**
 * The Deno adapter. The server is `node:http` + `ws` through Deno's Node
 * compatibility (`_ws-server.ts`, shared with Node): `Deno.serve` +
 * `Deno.upgradeWebSocket` cannot bound a frame before buffering it, fail an
 * unmasked frame, time out a half-sent handshake or tear down a socket it has
 * closed (measured in docs/reference-server.md). The client is Deno's global
 * `WebSocket`, which never offers permessage-deflate (checked against Deno
 * 2.9), except for a wss:// target with a CA of the user's own, where it is
 * `ws` over `node:tls` (see `_ws-client.ts`).
 */
import type {
  ClientHandlers,
  ClientSocket,
  ConnectOptions,
  Memory,
  Runtime,
  ServeOptions,
  ServerHandle,
} from "../model/runtime-contract.ts";
import { connectStandard, memoryOf } from "./_shared.ts";
import { connectWs } from "./_ws-client.ts";
import { connectRawSocket } from "./_raw-socket.ts";
import { serveWs } from "./_ws-server.ts";

/** Deno's non-standard WebSocket options: https://docs.deno.com/api/web/~/WebSocketOptions */
type DenoWebSocketConstructor = new (url: string, options: { headers?: Record<string, string>; protocols?: string[] }) => WebSocket;
// The few shapes of Deno's API this file uses, declared here instead of pulling in Deno's types.
type DenoTlsConn = { handshake(): Promise<unknown>; close(): void };
type DenoLike = {
  version: { deno: string };
  connectTls(options: { hostname: string; port: number; alpnProtocols: string[] }): Promise<DenoTlsConn>;
  memoryUsage(): { rss: number; heapUsed: number };
};

// Read lazily: importing this file elsewhere (a barrel, tsc) must not need Deno.
const deno = (): DenoLike => (globalThis as unknown as { Deno: DenoLike }).Deno;
const memory = (): Memory => memoryOf(deno().memoryUsage());

/**
 * Deno's WebSocket tries wss:// over HTTP/1.1 first and, when that fails for any reason, over HTTP/2, and
 * reports only the second failure: "NoApplicationProtocol" from a server that speaks no HTTP/2, whatever
 * went wrong (most often an untrusted certificate). One TLS handshake over HTTP/1.1 per server finds the cause.
 */
const MASKED_TLS_ERROR = /NoApplicationProtocol|HTTP\/2 not supported/;
const tlsCauses = new Map<string, Promise<string>>();

function tlsCause(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const key = `${hostname}:${port}`;
  let cause = tlsCauses.get(key);
  if (cause === undefined) {
    cause = deno().connectTls({ hostname: hostname.replace(/^\[|\]$/g, ""), port: Number(port || 443), alpnProtocols: ["http/1.1"] })
      .then(async (conn) => {
        try {
          await conn.handshake();
          return "the TLS handshake over HTTP/1.1 succeeds when tried alone";
        } finally {
          conn.close();
        }
      })
      .catch((error: unknown) => String((error as Error).message ?? error));
    tlsCauses.set(key, cause);
  }
  return cause;
}

/** Handlers that replace Deno's masked wss:// error with its cause; the close waits for the error, so their order holds. */
function explainTlsErrors(url: string, handlers: ClientHandlers): ClientHandlers {
  let explained: Promise<void> | undefined;
  return {
    ...handlers,
    onError(error) {
      if (!MASKED_TLS_ERROR.test(error.message)) return handlers.onError(error);
      explained = tlsCause(url).then((cause) =>
        handlers.onError(new Error(`TLS: ${cause} (Deno reported its HTTP/2 retry: ${error.message})`))
      );
    },
    onClose(code, reason) {
      if (explained === undefined) handlers.onClose(code, reason);
      else void explained.then(() => handlers.onClose(code, reason));
    },
  };
}

const serve = (options: ServeOptions = {}): Promise<ServerHandle> => serveWs(options, "deno", memory);

function connect(url: string, handlers: ClientHandlers, options: ConnectOptions = {}): ClientSocket {
  // no deflate through ws either: clientPerMessageDeflate says Deno's client never offers it
  if (options.ca) return connectWs(url, handlers, { ...options, perMessageDeflate: false });
  if (url.startsWith("wss:")) handlers = explainTlsErrors(url, handlers);
  if (!options.headers && !options.protocols) return connectStandard(() => new WebSocket(url), handlers);
  const DenoWebSocket = WebSocket as unknown as DenoWebSocketConstructor;
  return connectStandard(
    () =>
      new DenoWebSocket(url, {
        ...(options.headers ? { headers: { ...options.headers } } : {}),
        ...(options.protocols ? { protocols: [...options.protocols] } : {}),
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
  connectRaw: connectRawSocket,
  memory,
};
