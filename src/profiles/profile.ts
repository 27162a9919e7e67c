/**
 * The profile contract: what the suites need from a wire protocol. The
 * suites speak only through a profile, so the same suites load the reference
 * server, any echo server, Socket.IO, or a protocol a user describes with
 * `defineProtocol`.
 *
 * A profile opens a `Session` on every connection once the WebSocket upgrade
 * is done. The session may exchange frames first (`setup`: log in, wait for
 * the welcome, connect a namespace) before the connection counts as open,
 * answers the server's heartbeats on its own, frames each request (text or
 * binary) and reads every server frame back as one of the reference
 * protocol's reply shapes (`echo`, `ack`, `msg`) carrying the id of the
 * request it answers. How it finds that id is its own business: read from the
 * frame, matched by content against the requests it sent, or by order (the
 * n-th reply of a kind answers the n-th request of that kind). The load
 * drivers then correlate by id, and the suites judge replies one way for
 * every profile.
 *
 * A profile that lacks an operation leaves it out; a suite that needs it is
 * skipped with the reason.
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { Reply } from "../protocol/messages.ts";
import type { Role } from "../protocol/policy.ts";

export type { Frame };

/** The roles that authenticate; a guest sends no token. */
export type AuthRole = Exclude<Role, "guest">;
export const AUTH_ROLES: readonly AuthRole[] = ["subscriber", "publisher", "admin"];

/** Operations a suite may need: the frames a session builds, and `acks` (the server answers them). */
export type Operation = "echo" | "subscribe" | "unsubscribe" | "publish" | "authenticate" | "acks";

/**
 * What a session makes of a server frame besides a reply: `heartbeat` (the
 * server's keep-alive, answered; it resets the heartbeat deadline),
 * `control` (a frame of the protocol's own that needs nothing), `unmatched`
 * (a reply the profile read that answers no request it has pending).
 * `undefined` is a frame the profile cannot read at all.
 */
export type Signal = "heartbeat" | "control" | "unmatched";
export type Decoded = Reply | Signal | undefined;
/**
 * What one frame decodes to: one message, or several in order when a frame
 * may carry more than one (MQTT's packets need not align with WebSocket
 * frames: a frame can hold several packets, or part of one, which decodes to
 * an empty list until the rest comes).
 */
export type FrameDecoded = Decoded | readonly Decoded[];

/**
 * A delivery guarantee a profile's publishes can ask for (MQTT's QoS 0 and
 * QoS 1). The broadcast suite publishes once per class and reports each apart.
 */
export type DeliveryClass = {
  /** how reports name it, e.g. "QoS 1" */
  readonly label: string;
  /** at-least-once: a second copy of a message is legal; it is counted and labelled, never failed */
  readonly duplicatesLegal: boolean;
  /** whether the server answers a publish of this class */
  readonly acked: boolean;
};

/** Faults a session reports on its connection. */
export type SessionFault = "heartbeat_missed";

/** What one connection offers its session: its place, its credentials, and its socket. */
export type Link = {
  /** the connection's index in the level (global across worker processes) */
  readonly index: number;
  /** the token this connection authenticates with (its role's, when the suite gives it one) */
  readonly token?: string;
  /** the caller's handshake payload (`.auth()`, `--auth`): Socket.IO's CONNECT `auth`, a login's fields */
  readonly auth?: Readonly<Record<string, string>>;
  send(frame: Frame): void;
  /**
   * From now on a heartbeat (a frame decoded as `heartbeat`) must come within
   * `ms` of the last one: otherwise `heartbeat_missed` is counted and the
   * connection closed, as a real client would. Called again, it changes `ms`.
   */
  heartbeatWithin(ms: number): void;
  /** sends `frame` every `ms` while the connection lives (a client-side keep-alive, e.g. MQTT's PINGREQ) */
  keepAlive(ms: number, frame: Frame): void;
  /**
   * The protocol says the server ended this connection (Socket.IO's DISCONNECT, MQTT's DISCONNECT) though
   * the socket is still up: counted `connection_lost` with `why` (`setup_refused` during the setup), and closed.
   */
  lost(why: string): void;
};

/** The frames of a session's setup: sent, and awaited by a match on what comes back. */
export type Exchange = {
  send(frame: Frame): void;
  /** the first frame `match` accepts (frames already received and not yet taken count too); bounded by the run's timeout */
  expect(match: (frame: Frame) => boolean): Promise<Frame>;
  /** `send(frame)`, then `expect(match)` */
  request(frame: Frame, match: (frame: Frame) => boolean): Promise<Frame>;
};

/** The protocol on one connection, from the upgrade to the close. */
export type Session = {
  /**
   * Runs once the upgrade is done; the connection counts as open when it
   * resolves. It throws (or rejects) when the server refuses: `setup_refused`
   * with the error's message. The pool bounds it by the run's timeout.
   */
  setup?(exchange: Exchange): Promise<void>;
  /** a server frame on this connection; never throws */
  decode(frame: Frame): FrameDecoded;
  /** an echo carrying `payload`; its reply decodes to `{ op: "echo", id }` */
  echo?(id: number, payload: string): Frame;
  subscribe?(id: number, channel: string): Frame;
  /**
   * undefined: nothing to send yet; the session sends it through its link once it may (graphql-ws: after the
   * subscription's first result)
   */
  unsubscribe?(id: number, channel: string): Frame | undefined;
  /** a publish whose deliveries decode to `{ op: "msg", ch, seq, ts }`; `cls` indexes `deliveryClasses` (absent: the profile's choice) */
  publish?(id: number, channel: string, seq: number, ts: number, payload: string, cls?: number): Frame;
  /** an authentication frame, answered by an ack; absent when the profile authenticates in its setup (`link.token`) */
  authenticate?(id: number, token: string): Frame;
};

export type Profile = {
  /** "wsstress", "echo", or the name a custom profile gives itself */
  readonly name: string;
  /** where a worker process loads it from: a built-in name or a module's absolute path or URL; absent for an object given in code */
  readonly module?: string;
  /** the operations its sessions frame; `authenticate` may be done in the setup, with the link's token */
  readonly operations: readonly Operation[];
  /** whether its sessions exchange frames after the upgrade before a connection counts as open (the connection suite times it apart) */
  readonly setup: boolean;
  /** the subprotocols its connections offer (`graphql-transport-ws`, `mqtt`), before any the caller adds */
  readonly protocols?: readonly string[];
  /** the guarantees its publishes can ask for; one class, `publishAcked`'s, when absent */
  readonly deliveryClasses?: readonly DeliveryClass[];
  /** why an echo's reply carries no payload back (MQTT's PUBACK), when it does not: compression cannot count its bytes */
  readonly echoWithoutPayload?: string;
  /**
   * false when the server cannot answer a refused publish (an MQTT 3.1.1 broker closes the connection): the permission
   * suite then asks subscribe decisions only
   */
  readonly publishRefusals?: boolean;
  /** the URL a connection opens for `target` (Socket.IO adds its path and Engine.IO query); the target itself when absent */
  url?(target: string): string;
  /** a session for one connection; called when its socket opens */
  open(link: Link): Session;
  /** whether a publish is acknowledged (with the recipient count `n` when the server knows it) */
  readonly publishAcked: boolean;
  /** tokens used for a role the caller gave none for */
  readonly defaultTokens: Partial<Record<AuthRole, string>>;
  /** whether the server answers the reference `stats` request (its memory and connection count) */
  readonly serverStats: boolean;
  /** whether the server is the reference one, so the engine layer (the reference hub in-process) describes it */
  readonly reference: boolean;
};

/** The reason a suite cannot run on `profile`, or undefined when it has everything the suite needs. */
export function missing(profile: Profile, needs: readonly Operation[]): string | undefined {
  const lacking = needs.filter((op) => !profile.operations.includes(op));
  if (lacking.length === 0) return undefined;
  return `the ${profile.name} profile has no ${lacking.map((op) => (op === "acks" ? "ack recognition" : op)).join(", ")}`;
}

/** The URL connections of `profile` open for `target`. */
export const profileUrl = (profile: Profile, target: string): string => profile.url?.(target) ?? target;
