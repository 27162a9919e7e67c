/** Asks a server for its own figures over the protocol's `stats` request, on a short-lived connection. */
import type { ConnectOptions, Runtime } from "../model/runtime-contract.ts";
import { decodeReply } from "../protocol/codec.ts";
import type { Ack, ServerStats } from "../protocol/messages.ts";
import { askOnce } from "./short-connection.ts";

/** Resolves undefined when the server does not answer in time or does not speak `stats`. */
export function askServerStats(
  runtime: Runtime,
  url: string,
  timeoutMs: number,
  options: ConnectOptions = {},
): Promise<ServerStats | undefined> {
  return askOnce<ServerStats>(runtime, url, timeoutMs, options, {
    onOpen: (socket) => socket.send('{"op":"stats","id":0}'),
    onMessage(data, answer) {
      const reply = typeof data === "string" ? (decodeReply(data) as Ack | undefined) : undefined;
      answer(reply?.op === "ack" && reply.ok ? reply.stats : undefined);
    },
  });
}
