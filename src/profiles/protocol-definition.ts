/**
 * What a user writes for `defineProtocol`: how each request is framed, how
 * each answer is recognised, and what a connection does before it counts as
 * open. `define.ts` checks it; `defined-session.ts` runs it on a connection.
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { AuthRole } from "./profile.ts";

/**
 * What a reply says: `true`/`{ ok: true }` granted, `{ ok: false }` refused; an `id` names its request;
 * `undefined`/`false`: not this kind of reply.
 */
export type Answer = boolean | { ok?: boolean; id?: number; recipients?: number } | undefined;

/**
 * The fields of each request, for a profile that shapes its own frames. `stamp` is what must come back when the
 * server carries one string only.
 */
export type EchoFields = { readonly id: number; readonly payload: string; readonly stamp: string };
export type ChannelFields = { readonly id: number; readonly channel: string };
export type PublishFields = ChannelFields & { readonly seq: number; readonly ts: number; readonly payload: string; readonly stamp: string };
export type AuthFields = { readonly id: number; readonly token: string };

/** An operation in object form: its frame, how to recognise its replies, and (by content) which request a reply answers. */
export type RequestSpec<F, M> = {
  request(fields: F): Frame;
  /** whether `message` is a reply of this kind; with no `id` in it, it answers a waiting request: the one `match` picks, else the oldest */
  reply?(message: M): Answer;
  /** the request `message` answers, among those waiting (oldest first): correlation by content */
  match?(message: M, request: F): boolean;
};

/** What a setup sees: its connection, and the frames it sends and awaits. */
export type SetupConnection<M> = {
  readonly index: number;
  readonly token?: string;
  readonly auth?: Readonly<Record<string, string>>;
  send(frame: Frame): void;
  /** the first message `match` accepts; bounded by the run's timeout */
  expect(match: (message: M) => boolean): Promise<M>;
  request(frame: Frame, match: (message: M) => boolean): Promise<M>;
  heartbeatWithin(ms: number): void;
  keepAlive(ms: number, frame: Frame): void;
};

export type ProtocolDefinition<M = string> = {
  /** names the profile in results and errors */
  name: string;
  /** reads a frame once (JSON.parse, a binary decoder); every other function gets what it returns. A throw: the frame is undecodable */
  parse?(frame: Frame): M;
  /** the URL to open for the target (a path, a query of the protocol's) */
  url?(target: string): string;
  /** runs on every connection after the upgrade, before it counts as open; throws when the server refuses */
  setup?(connection: SetupConnection<M>): Promise<void>;
  /** a server heartbeat: the frame to answer it with, or true when it needs no answer */
  heartbeat?(message: M): Frame | boolean | undefined;
  /** a frame by which the server ends the connection (a DISCONNECT, a kick): its reason; the connection is counted lost */
  ended?(message: M): string | undefined;
  /** frames that need nothing (a presence push, a stream's end): neither replies nor errors */
  ignore?(message: M): boolean;
  /** echo: `request(stamp, fields)` frames it; `reply` returns the stamp that came back, or an Answer (tied by order or `match`) */
  echo?: {
    request(stamp: string, fields: EchoFields): Frame;
    reply(message: M): string | Answer;
    match?(message: M, request: EchoFields): boolean;
  };
  /** `(channel, id) => frame` (answered through `ack`), or in object form */
  subscribe?: ((channel: string, id: number) => Frame) | RequestSpec<ChannelFields, M>;
  unsubscribe?: ((channel: string, id: number) => Frame) | RequestSpec<ChannelFields, M>;
  /** `(channel, stamp, id) => frame`, or in object form; every subscriber's delivery must carry the stamp (or seq and ts) */
  publish?: ((channel: string, stamp: string, id: number) => Frame) | RequestSpec<PublishFields, M>;
  /** `(token, id) => frame`, in object form, or "setup" when the setup authenticates with `connection.token` */
  authenticate?: ((token: string, id: number) => Frame) | RequestSpec<AuthFields, M> | "setup";
  /** recognises an answer that carries its request's id */
  ack?(message: M): { id: number; ok: boolean; recipients?: number } | undefined;
  /** a delivery: the stamp it carries, or its seq and ts (and channel) */
  delivery?(message: M): string | { seq: number; ts: number; channel?: string } | undefined;
  /** false when the server does not answer a publish (default true) */
  publishAcked?: boolean;
  /** tokens per role for the permission suite and the broadcast publisher, when the caller gives none */
  tokens?: Partial<Record<AuthRole, string>>;
};
