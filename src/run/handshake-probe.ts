/**
 * One connection before the load, to learn what the server's handshake
 * settles: whether permessage-deflate was negotiated (offered whenever the
 * client runtime can), and which subprotocol it chose.
 */
import type { Handshake } from "../model/result.ts";
import type { ConnectOptions, Runtime } from "../model/runtime-contract.ts";

/** Resolves undefined when the handshake fails or does not finish within `timeoutMs`. */
export function probeHandshake(runtime: Runtime, url: string, options: ConnectOptions, timeoutMs: number): Promise<Handshake | undefined> {
  const offered = runtime.clientPerMessageDeflate;
  return new Promise((resolve) => {
    let settled = false;
    const done = (handshake: Handshake | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close(1000, "probe");
      resolve(handshake);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const socket = runtime.connect(
      url,
      {
        onOpen() {
          const extensions = socket.extensions ?? "";
          const perMessageDeflate = !offered ? "not offered" : extensions.includes("permessage-deflate") ? "negotiated" : "declined";
          done({ perMessageDeflate, extensions, subprotocol: socket.protocol ?? "" });
        },
        onMessage() {},
        onError: () => done(undefined),
        onClose: () => done(undefined),
      },
      { ...options, perMessageDeflate: offered },
    );
  });
}
