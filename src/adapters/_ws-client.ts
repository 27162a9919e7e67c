// https://github.com/websockets/ws/blob/master/doc/ws.md#new-websocketaddress-protocols-options
/**
 * The client on the `ws` package: Node's load client (about 3× the handshake
 * rate of Node's built-in `WebSocket` at a quarter of the memory), and Deno's
 * client for a wss:// target with a CA of the user's own. Deno's `WebSocket`
 * verifies certificates with rustls, which refuses a self-signed certificate
 * marked `CA:TRUE` (what `openssl req -x509` writes by default) as a server's
 * own, and then reports the HTTP/2 fallback's error, "NoApplicationProtocol";
 * `node:tls` under Deno accepts it as Node and Bun do.
 */
import { WebSocket } from "ws";
import type { ClientHandlers, ClientSocket, ConnectOptions } from "../model/runtime-contract.ts";
import { unopened } from "./_shared.ts";

export function connectWs(url: string, handlers: ClientHandlers, options: ConnectOptions = {}): ClientSocket {
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
  ws.on(
    "message",
    (data: Buffer, isBinary: boolean) =>
      handlers.onMessage(isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.length) : data.toString()),
  );
  ws.on("error", (error) => handlers.onError(error));
  ws.on("close", (code, reason) => handlers.onClose(code, reason.toString()));
  return ws;
}
