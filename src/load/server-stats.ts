/** Asks a server for its own figures over the protocol's `stats` request, on a short-lived connection. */
import type { ClientSocket, ConnectOptions, Runtime } from "../model/runtime-contract.ts";
import { decodeReply } from "../protocol/codec.ts";
import type { Ack, ServerStats } from "../protocol/messages.ts";

/** Resolves undefined when the server does not answer in time or does not speak `stats`. */
export function askServerStats(runtime: Runtime, url: string, timeoutMs: number, options: ConnectOptions = {}): Promise<ServerStats | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    // the handlers run after connect() returns (the runtime contract: never synchronously)
    const done = (stats: ServerStats | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(stats);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const socket: ClientSocket = runtime.connect(url, {
      onOpen: () => socket.send('{"op":"stats","id":0}'),
      onMessage(data) {
        const reply = decodeReply(data) as Ack | undefined;
        done(reply?.op === "ack" && reply.ok ? reply.stats : undefined);
      },
      onError: () => done(undefined),
      onClose: () => done(undefined),
    }, options);
  });
}
