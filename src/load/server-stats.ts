/** Asks a server for its own figures over the protocol's `stats` request, on a short-lived connection. */
import type { ConnectOptions, Runtime } from "../model/runtime-contract.ts";
import { decodeReply } from "../protocol/codec.ts";
import type { Ack, ServerStats } from "../protocol/messages.ts";
import { askOnce } from "./short-connection.ts";

/** Resolves undefined when the server does not answer in time or does not speak `stats`; `gc`: collect garbage first. */
export function askServerStats(
  runtime: Runtime,
  url: string,
  timeoutMs: number,
  options: ConnectOptions = {},
  gc = false,
): Promise<ServerStats | undefined> {
  return askOnce<ServerStats>(runtime, url, timeoutMs, options, {
    onOpen: (socket) => socket.send(gc ? '{"op":"stats","id":0,"gc":true}' : '{"op":"stats","id":0}'),
    onMessage(data, answer) {
      const reply = typeof data === "string" ? (decodeReply(data) as Ack | undefined) : undefined;
      answer(reply?.op === "ack" && reply.ok ? reply.stats : undefined);
    },
  });
}
