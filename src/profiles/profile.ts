/**
 * What the suites need from a wire protocol, as one object: how to frame a
 * request and how to read what the server sends back. The suites speak only
 * through a profile, so the same suites load the reference server, any echo
 * server, or a protocol a user describes with `defineProtocol`.
 *
 * Whatever the server sends is decoded into the reference protocol's reply
 * shapes (`echo`, `ack`, `msg`), so the load drivers correlate by `id` and the
 * suites judge replies one way for every profile. A profile that lacks an
 * operation leaves it out; a suite that needs it is skipped with the reason.
 */
import type { Reply } from "../protocol/messages.ts";
import type { Role } from "../protocol/policy.ts";

/** The roles that authenticate; a guest sends no token. */
export type AuthRole = Exclude<Role, "guest">;
export const AUTH_ROLES: readonly AuthRole[] = ["subscriber", "publisher", "admin"];

export type Profile = {
  /** "wsstress", "echo", or the name a custom profile gives itself */
  readonly name: string;
  /** where a worker process loads it from: a built-in name or a module's absolute path or URL; absent for an object given in code */
  readonly module?: string;
  /** a server frame as a reference reply; undefined when it is not one this profile knows. Never throws. */
  decode(frame: string): Reply | undefined;
  /** an echo request carrying `payload`; its reply decodes to `{ op: "echo", id }` */
  echo?(id: number, payload: string): string;
  subscribe?(id: number, channel: string): string;
  unsubscribe?(id: number, channel: string): string;
  /** a publish whose deliveries decode to `{ op: "msg", seq, ts }` */
  publish?(id: number, channel: string, seq: number, ts: number, payload: string): string;
  authenticate?(id: number, token: string): string;
  /** whether the server answers subscribe, unsubscribe, publish and authenticate with an ack carrying the request's id */
  readonly acks: boolean;
  /** whether a publish is acknowledged (with the recipient count `n` when the server knows it) */
  readonly publishAcked: boolean;
  /** tokens used for a role the caller gave none for */
  readonly defaultTokens: Partial<Record<AuthRole, string>>;
  /** whether the server answers the reference `stats` request (its memory and connection count) */
  readonly serverStats: boolean;
  /** whether the server is the reference one, so the engine layer (the reference hub in-process) describes it */
  readonly reference: boolean;
};

/** Operations a suite may need. */
export type Operation = "echo" | "subscribe" | "unsubscribe" | "publish" | "authenticate" | "acks";

const has = (profile: Profile, op: Operation): boolean => (op === "acks" ? profile.acks : profile[op] !== undefined);

/** The reason a suite cannot run on `profile`, or undefined when it has everything the suite needs. */
export function missing(profile: Profile, needs: readonly Operation[]): string | undefined {
  const lacking = needs.filter((op) => !has(profile, op));
  if (lacking.length === 0) return undefined;
  return `the ${profile.name} profile has no ${lacking.map((op) => (op === "acks" ? "ack recognition" : op)).join(", ")}`;
}
