/** The frames of the reference protocol, as TypeScript types. See `mod.ts` for the table. */
import type { Action } from "../model/access-policy.ts";

export type EchoRequest = { op: "echo"; id: number; p: string };
export type AuthRequest = { op: "auth"; id: number; token: string };
export type SubscribeRequest = { op: "sub"; id: number; ch: string };
export type UnsubscribeRequest = { op: "unsub"; id: number; ch: string };
export type PublishRequest = { op: "pub"; id: number; ch: string; seq: number; ts: number; p: string };
export type StatsRequest = { op: "stats"; id: number };

/** the request frames; each one's op must be an Action, which policies name (`model/access-policy.ts`) */
type OpIsAction<R extends { op: Action }> = R;
export type Request = OpIsAction<
  | EchoRequest
  | AuthRequest
  | SubscribeRequest
  | UnsubscribeRequest
  | PublishRequest
  | StatsRequest
>;

export type { Action };

/**
 * Why a request was refused: the role may not, the connection has not authenticated (or gave a bad token), or it holds
 * as many channels as the server allows.
 */
export type RefusalCode = "forbidden" | "unauthenticated" | "too_many_channels";

/** What the reference server refused or cut off since it started, by limit. */
export type LimitCounts = {
  /** frames over the size limit, answered `too_large` */
  tooLarge: number;
  /** frames that did not parse or validate, answered `bad_request` */
  badRequest: number;
  /** frames over the connection's rate limit, answered `rate_limited` */
  rateLimited: number;
  /** connections closed for sending nothing within the idle timeout */
  idleClosed: number;
  /** connections closed because they did not read what they were sent (send buffer over its bound) */
  slowClosed: number;
};

/** Server-side figures a load generator cannot see from outside. */
export type ServerStats = {
  rssBytes: number;
  heapUsedBytes: number;
  connections: number;
  channels: number;
  runtime: string;
  /** absent from servers other than the reference one */
  limits?: LimitCounts;
};

export type EchoReply = { op: "echo"; id: number; p: string };
export type Ack = {
  op: "ack";
  id: number;
  ok: boolean;
  code?: RefusalCode;
  role?: string;
  /** channels an `auth` took away: the new role may not subscribe to them (absent when none) */
  dropped?: string[];
  /** recipients of a publish */
  n?: number;
  stats?: ServerStats;
};
export type Delivery = { op: "msg"; ch: string; seq: number; ts: number; p: string };
export type ErrorCode = "bad_request" | "too_large" | "rate_limited";
export type ErrorReply = { op: "error"; id?: number; code: ErrorCode; message: string };

export type Reply = EchoReply | Ack | Delivery | ErrorReply;
