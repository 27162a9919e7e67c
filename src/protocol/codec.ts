/**
 * Encoding and decoding of protocol frames. Validation is hand-written rather
 * than valibot because it sits on the server's per-message hot path; it checks
 * exactly the fields `messages.ts` declares.
 */
import type { Reply, Request } from "./messages.ts";

export type Decoded<T> = { ok: true; value: T } | { ok: false; id?: number; message: string };

export function encode(frame: Request | Reply): string {
  return JSON.stringify(frame);
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Parses and validates a client frame; never throws. */
export function decodeRequest(text: string): Decoded<Request> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, message: "frame is not valid JSON" };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, message: "frame must be a JSON object" };
  }
  const f = raw as Record<string, unknown>;
  if (!isInt(f.id)) return { ok: false, message: "id must be an integer" };
  const id = f.id;
  const bad = (message: string): Decoded<Request> => ({ ok: false, id, message });
  switch (f.op) {
    case "echo":
      return isStr(f.p) ? { ok: true, value: { op: "echo", id, p: f.p } } : bad("echo.p must be a string");
    case "auth":
      return isStr(f.token) ? { ok: true, value: { op: "auth", id, token: f.token } } : bad("auth.token must be a string");
    case "sub":
    case "unsub":
      return isStr(f.ch) && f.ch.length > 0
        ? { ok: true, value: { op: f.op, id, ch: f.ch } }
        : bad(`${f.op}.ch must be a non-empty string`);
    case "pub":
      if (!isStr(f.ch) || f.ch.length === 0) return bad("pub.ch must be a non-empty string");
      if (!isInt(f.seq)) return bad("pub.seq must be an integer");
      if (!isNum(f.ts)) return bad("pub.ts must be a number");
      if (!isStr(f.p)) return bad("pub.p must be a string");
      return { ok: true, value: { op: "pub", id, ch: f.ch, seq: f.seq, ts: f.ts, p: f.p } };
    case "stats":
      if (f.gc !== undefined && typeof f.gc !== "boolean") return bad("stats.gc must be a boolean");
      return { ok: true, value: f.gc === true ? { op: "stats", id, gc: true } : { op: "stats", id } };
    default:
      return bad("op must be one of echo, auth, sub, unsub, pub, stats");
  }
}

/** Parses a server frame on the client side; trusts the shape the server wrote, checks only `op`. */
export function decodeReply(text: string): Reply | undefined {
  try {
    const f = JSON.parse(text);
    return f !== null && typeof f === "object" && typeof f.op === "string" ? (f as Reply) : undefined;
  } catch {
    return undefined;
  }
}
