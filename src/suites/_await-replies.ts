/**
 * One request on each connection, all at once, waiting (bounded) for every
 * positive ack: used to set a pool up (subscribe) before the measured part of
 * a suite starts.
 */
import { now, sleep } from "../load/clock.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { Ack } from "../protocol/messages.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { SuiteContext } from "./suite.ts";

/** Sends `frame(conn)` on every connection; resolves the connections acknowledged with ok, in their order. */
export async function awaitReplies(
  connections: LoadConnection[],
  frame: (conn: LoadConnection) => Frame,
  ctx: SuiteContext,
): Promise<LoadConnection[]> {
  const ok = new Set<LoadConnection>();
  let answered = 0;
  for (const conn of connections) {
    conn.onReply = (reply) => {
      answered++;
      if (reply.op === "ack" && (reply as Ack).ok) ok.add(conn);
      else ctx.record.errors.add("setup_refused", `setup request refused: ${JSON.stringify(reply).slice(0, 120)}`);
      conn.onReply = () => {};
    };
    conn.socket.send(frame(conn));
  }
  const deadline = now() + ctx.plan.timeoutMs;
  while (answered < connections.length && now() < deadline && !ctx.signal.aborted) await sleep(2);
  const missing = connections.length - answered;
  if (missing > 0) ctx.record.errors.add("timeout", `${missing} setup requests unanswered within ${ctx.plan.timeoutMs} ms`, missing);
  return connections.filter((c) => ok.has(c));
}
