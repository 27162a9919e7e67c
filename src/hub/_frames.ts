/**
 * Reply frames written by concatenation rather than `encode()`: on the
 * per-message path this skips building a reply object and walking its keys.
 * Only the client-supplied strings go through `JSON.stringify` (for escaping);
 * ids and numbers are already validated as finite, where `String(n)` equals
 * the JSON text. `tests/hub.test.ts` checks each against `JSON.parse`.
 */
import type { ErrorCode, RefusalCode, ServerStats } from "../protocol/messages.ts";

const q = JSON.stringify;

export const echoReply = (id: number, p: string): string => `{"op":"echo","id":${id},"p":${q(p)}}`;

export const okAck = (id: number): string => `{"op":"ack","id":${id},"ok":true}`;

export const countAck = (id: number, n: number): string => `{"op":"ack","id":${id},"ok":true,"n":${n}}`;

/** `dropped`: the channels the new role may not hold, listed only when there are any (older clients never see the field) */
export const roleAck = (id: number, role: string, dropped: readonly string[] = []): string =>
  dropped.length === 0
    ? `{"op":"ack","id":${id},"ok":true,"role":${q(role)}}`
    : `{"op":"ack","id":${id},"ok":true,"role":${q(role)},"dropped":${q(dropped)}}`;

export const refusal = (id: number, code: RefusalCode): string => `{"op":"ack","id":${id},"ok":false,"code":"${code}"}`;

export const statsAck = (id: number, stats: ServerStats): string => q({ op: "ack", id, ok: true, stats });

/** The delivery every subscriber of a publish receives: built once per publish, never per recipient. */
export const delivery = (ch: string, seq: number, ts: number, p: string): string =>
  `{"op":"msg","ch":${q(ch)},"seq":${seq},"ts":${ts},"p":${q(p)}}`;

export const errorFrame = (code: ErrorCode, message: string, id?: number): string =>
  id === undefined
    ? `{"op":"error","code":"${code}","message":${q(message)}}`
    : `{"op":"error","id":${id},"code":"${code}","message":${q(message)}}`;
