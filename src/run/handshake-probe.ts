/**
 * One connection before the load, to learn what the server's handshake
 * settles: whether permessage-deflate was negotiated (offered whenever the
 * client runtime can), and which subprotocol it chose.
 */
import { askOnce } from "../load/short-connection.ts";
import type { Handshake } from "../model/result.ts";
import type { ConnectOptions, Runtime } from "../model/runtime-contract.ts";

/** Resolves undefined when the handshake fails or does not finish within `timeoutMs`. */
export function probeHandshake(runtime: Runtime, url: string, options: ConnectOptions, timeoutMs: number): Promise<Handshake | undefined> {
  const offered = runtime.clientPerMessageDeflate;
  return askOnce<Handshake>(runtime, url, timeoutMs, { ...options, perMessageDeflate: offered }, {
    onOpen(socket, answer) {
      const extensions = socket.extensions ?? "";
      const perMessageDeflate = !offered ? "not offered" : extensions.includes("permessage-deflate") ? "negotiated" : "declined";
      answer({ perMessageDeflate, extensions, subprotocol: socket.protocol ?? "" });
    },
  });
}
