// https://nodejs.org/api/net.html
// https://nodejs.org/api/tls.html
/**
 * A raw TCP or TLS connection on `node:net` / `node:tls`, which Node, Deno
 * and Bun all implement the same way for a client socket: the conformance
 * cases write exact bytes over it (frames a WebSocket API would never send,
 * in chops of their choosing). No Nagle, so each write leaves as its own
 * segment; the handlers are called in order and never throw into the socket.
 */
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import type { RawConnectOptions, RawSocket, RawSocketHandlers } from "../model/runtime-contract.ts";

export function connectRawSocket(options: RawConnectOptions, handlers: RawSocketHandlers): RawSocket {
  const host = options.host.replace(/^\[|\]$/g, "");
  let socket: Socket;
  try {
    socket = options.tls
      ? connectTls({
        host,
        port: options.port,
        servername: /^[\d.:]+$/.test(host) ? undefined : host,
        ...(options.ca ? { ca: options.ca } : {}),
      })
      : connectTcp({ host, port: options.port });
  } catch (error) {
    queueMicrotask(() => handlers.onClose(error instanceof Error ? error : new Error(String(error))));
    return { write: () => Promise.resolve(), end() {}, destroy() {} };
  }
  socket.setNoDelay(true);
  let failure: Error | undefined;
  let gone = false;
  socket.once(options.tls ? "secureConnect" : "connect", () => handlers.onOpen());
  socket.on("data", (chunk: Uint8Array) => handlers.onData(chunk));
  socket.on("end", () => handlers.onEnd());
  socket.on("error", (error: Error) => (failure ??= error));
  socket.once("close", () => {
    gone = true;
    handlers.onClose(failure);
  });
  return {
    write: (bytes) =>
      gone || socket.destroyed ? Promise.resolve() : new Promise<void>((resolve) => {
        // the callback comes when the OS took the bytes, or with an error once the socket broke
        socket.write(bytes, () => resolve());
      }),
    end: () => void socket.end(),
    destroy: () => void socket.destroy(),
  };
}
