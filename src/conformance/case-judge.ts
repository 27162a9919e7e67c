/**
 * A case's verdict once its connection is gone, by Autobahn|Testsuite's
 * rules: the behaviour is the first expected outcome the events match
 * (FAILED when none does), and the close behaviour says whether the right
 * side closed, cleanly, with an allowed code, without the client having to
 * drop the TCP connection. Two rules go past Autobahn: anything the server
 * sent that RFC 6455 forbids fails the case, and a server that fails the
 * connection by dropping TCP without a close frame is NON-STRICT (§7.1.7:
 * it SHOULD send one).
 */
import type { CaseClose, ConformanceVerdict } from "../model/conformance-result.ts";
import type { CaseConnection, CaseEvent } from "./case-connection.ts";
import { type CaseContext, sameEvents } from "./case-context.ts";
import { textOf } from "./wire-log.ts";
import { closeCodeText } from "./close-codes.ts";

/** What a case declares beyond its script: Autobahn's per-case overrides. */
export type JudgeFlags = {
  /** a close code outside the expected ones fails the case (the close-handling cases) */
  wrongCodeFails?: boolean;
  /** the outcome is up to the implementation: reported, never judged */
  informational?: boolean;
};

export type Judgement = { verdict: ConformanceVerdict; reason: string; close: CaseClose };

export function describeEvents(events: readonly CaseEvent[]): string {
  if (events.length === 0) return "nothing";
  return events.map((e) => {
    if (e.kind === "timeout") return `still open at ${e.tag}`;
    const what = e.kind === "message" ? `${e.binary ? "binary" : "text"} message` : e.kind;
    return `${what} of ${e.data.length} bytes${textOf(e.data, 24)}`;
  }).join(", ");
}

/** Why the `index`th message of a round trip is not the one sent (the limits and deflate cases), or undefined when it is. */
export function notAsSent(
  got: Extract<CaseEvent, { kind: "message" }>,
  sent: { binary: boolean; data: Uint8Array },
  index: number,
): string | undefined {
  const exact = got.binary === sent.binary && got.data.length === sent.data.length && got.data.every((b, i) => b === sent.data[i]);
  return exact ? undefined : `message ${index} came back as ${describeEvents([got])}, not as sent (${sent.data.length} bytes)`;
}

function closeOf(conn: CaseConnection, ctx: CaseContext): CaseClose {
  const expected = ctx.closeExpectation;
  const closedBy = conn.closedByMe ? "client" : "server";
  const code = conn.remoteClose?.code;
  const base = {
    closedBy,
    clean: conn.wasClean,
    ...(code !== undefined ? { code } : {}),
    ...(conn.remoteClose?.reason ? { reason: conn.remoteClose.reason } : {}),
    droppedBy: conn.droppedByMe ? "client" : "server",
  } as const;
  if (expected.by !== closedBy) return { behaviour: "FAILED", text: `the ${closedBy} closed; the ${expected.by} should have`, ...base };
  if (expected.clean && !conn.wasClean) return { behaviour: "UNCLEAN", text: "the close handshake should have completed cleanly", ...base };
  if (code !== undefined && !expected.codes.includes(code)) {
    return { behaviour: "WRONG CODE", text: `the close code should have been ${expected.codes.join(" or ")}, or none`, ...base };
  }
  if (conn.droppedByMe) {
    return { behaviour: "FAILED BY CLIENT", text: "the server should close the TCP connection, not the client", ...base };
  }
  return { behaviour: "OK", text: "the connection was closed properly", ...base };
}

export function judgeCase(conn: CaseConnection, ctx: CaseContext, flags: JudgeFlags): Judgement {
  const close = closeOf(conn, ctx);
  if (flags.informational) {
    return {
      verdict: "INFORMATIONAL",
      reason: `the spec leaves it open; the events: ${describeEvents(conn.events)}`,
      close: { ...close, behaviour: "INFORMATIONAL" },
    };
  }
  if (conn.violations.length > 0) return { verdict: "FAILED", reason: conn.violations.join("; "), close };
  let verdict: ConformanceVerdict = "FAILED";
  let reason: string;
  if (ctx.settled) {
    ({ verdict, reason } = ctx.settled);
    // a case that settled its own verdict and was cut short: say who cut it
    if (verdict === "FAILED" && close.closedBy === "server") {
      reason += conn.remoteClose?.code === undefined
        ? "; the server dropped the connection first"
        : `; the server closed the connection first with ${closeCodeText(conn.remoteClose.code)}`;
    }
  } else {
    const match = ctx.expected.find(([, events]) => sameEvents(conn.events, events));
    if (match) {
      verdict = match[0];
      reason = `the events matched the ${match[0]} outcome: ${describeEvents(conn.events)}`;
    } else {
      reason = `expected ${ctx.expected.map(([v, e]) => `${describeEvents(e)} (${v})`).join(" or ")}; got ${describeEvents(conn.events)}`;
    }
  }
  const expected = ctx.closeExpectation;
  if (expected.wrongEndpointFatal && close.closedBy !== expected.by) {
    return { verdict: "FAILED", reason: `the server never failed the connection; ${reason}`, close };
  }
  if (flags.wrongCodeFails && close.behaviour === "WRONG CODE") {
    return { verdict: "FAILED", reason: `${close.text}; it was ${close.code}`, close };
  }
  if (verdict === "OK" && expected.by === "server" && close.closedBy === "server" && conn.remoteClose === undefined) {
    return {
      verdict: "NON-STRICT",
      reason: "the server dropped the TCP connection without a close frame (RFC 6455 §7.1.7: it should send one)",
      close,
    };
  }
  return { verdict, reason, close };
}
