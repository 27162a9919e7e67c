/** The frames of the reference protocol, as TypeScript types. See `mod.ts` for the table. */

export type EchoRequest = { op: "echo"; id: number; p: string };
export type AuthRequest = { op: "auth"; id: number; token: string };
export type SubscribeRequest = { op: "sub"; id: number; ch: string };
export type UnsubscribeRequest = { op: "unsub"; id: number; ch: string };
export type PublishRequest = { op: "pub"; id: number; ch: string; seq: number; ts: number; p: string };
export type StatsRequest = { op: "stats"; id: number };

export type Request =
  | EchoRequest
  | AuthRequest
  | SubscribeRequest
  | UnsubscribeRequest
  | PublishRequest
  | StatsRequest;

export type Action = Request["op"];

/** Why a request was refused. */
export type RefusalCode = "forbidden" | "unauthenticated";

/** Server-side figures a load generator cannot see from outside. */
export type ServerStats = {
  rssBytes: number;
  heapUsedBytes: number;
  connections: number;
  channels: number;
  runtime: string;
};

export type EchoReply = { op: "echo"; id: number; p: string };
export type Ack = {
  op: "ack";
  id: number;
  ok: boolean;
  code?: RefusalCode;
  role?: string;
  /** recipients of a publish */
  n?: number;
  stats?: ServerStats;
};
export type Delivery = { op: "msg"; ch: string; seq: number; ts: number; p: string };
export type ErrorReply = { op: "error"; id?: number; code: "bad_request" | "too_large" | "rate_limited"; message: string };

export type Reply = EchoReply | Ack | Delivery | ErrorReply;
