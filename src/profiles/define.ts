/**
 * `defineProtocol`: a profile for a server that speaks its own protocol. The
 * user says how to frame each request and how to recognise each answer; the
 * correlation id, sequence number and send time travel inside the payload
 * wsstress chooses, so latency never depends on the server preserving
 * anything but that payload.
 *
 * @example
 * ```ts
 * import { defineProtocol } from "../../mod.ts";
 * export default defineProtocol({
 *   name: "json-echo",
 *   echo: {
 *     request: (payload) => JSON.stringify({ type: "echo", payload }),
 *     reply: (frame) => JSON.parse(frame).payload,
 *   },
 * });
 * ```
 */
import type { Reply } from "../protocol/messages.ts";
import { AUTH_ROLES, type AuthRole, type Profile } from "./profile.ts";

export type ProtocolDefinition = {
  /** names the profile in results and errors */
  name: string;
  /** echo: `request` frames a payload, `reply` returns the payload of an echoed frame (undefined for any other frame) */
  echo?: { request(payload: string): string; reply(frame: string): string | undefined };
  /** frames a subscribe to `channel`; `id` is what `ack` must return for its answer */
  subscribe?(channel: string, id: number): string;
  unsubscribe?(channel: string, id: number): string;
  /** frames a publish of `payload` to `channel`; every subscriber's delivery must carry `payload` */
  publish?(channel: string, payload: string, id: number): string;
  /** frames a request that authenticates the connection with `token` */
  authenticate?(token: string, id: number): string;
  /** recognises the answer to subscribe, unsubscribe, publish or authenticate: its id and whether it was granted */
  ack?(frame: string): { id: number; ok: boolean; recipients?: number } | undefined;
  /** returns the payload of a delivery frame (undefined for any other frame) */
  delivery?(frame: string): string | undefined;
  /** false when the server does not answer a publish (default true) */
  publishAcked?: boolean;
  /** tokens per role for the permission suite and the broadcast publisher, when the caller gives none */
  tokens?: Partial<Record<AuthRole, string>>;
};

const FUNCTIONS = ["subscribe", "unsubscribe", "publish", "authenticate", "ack", "delivery"] as const;

function check(def: ProtocolDefinition): void {
  const fail = (what: string): never => {
    throw new TypeError(`defineProtocol(${typeof def?.name === "string" ? JSON.stringify(def.name) : ""}): ${what}`);
  };
  if (typeof def !== "object" || def === null) fail(`expected an object { name, echo?, subscribe?, unsubscribe?, publish?, authenticate?, ack?, delivery? }, got ${def === null ? "null" : typeof def}`);
  if (typeof def.name !== "string" || !/^[\w.@/-]+$/.test(def.name)) fail("name must be a non-empty string of letters, digits, . _ - @ /");
  if (def.echo !== undefined && (typeof def.echo?.request !== "function" || typeof def.echo?.reply !== "function")) {
    fail("echo must be { request(payload) => frame, reply(frame) => payload | undefined }");
  }
  for (const key of FUNCTIONS) if (def[key] !== undefined && typeof def[key] !== "function") fail(`${key} must be a function, got ${typeof def[key]}`);
  const needsAck = (["subscribe", "unsubscribe", "authenticate"] as const).filter((k) => def[k]);
  if (needsAck.length > 0 && !def.ack) fail(`${needsAck.join(", ")} need ack(frame) => { id, ok } to recognise the server's answer`);
  if (def.publish && def.publishAcked !== false && !def.ack) fail("publish needs ack(frame) => { id, ok }, or publishAcked: false when the server does not answer a publish");
  if (def.publish && !def.delivery) fail("publish needs delivery(frame) => payload to recognise what subscribers receive");
  if (def.publishAcked !== undefined && typeof def.publishAcked !== "boolean") fail("publishAcked must be true or false");
  for (const [role, token] of Object.entries(def.tokens ?? {})) {
    if (!(AUTH_ROLES as readonly string[]).includes(role)) fail(`tokens.${role}: roles are ${AUTH_ROLES.join(", ")}`);
    if (typeof token !== "string") fail(`tokens.${role} must be a string`);
  }
}

/** `id:` in front of the payload; the id read back, or -1 */
function idOf(payload: string): number {
  const colon = payload.indexOf(":");
  const id = colon > 0 ? Number(payload.slice(0, colon)) : NaN;
  return Number.isSafeInteger(id) && id >= 0 ? id : -1;
}

/** `seq:ts:` in front of a published payload */
function deliveryOf(payload: string): Reply | undefined {
  const [seq, ts] = payload.split(":", 2).map(Number);
  return Number.isSafeInteger(seq) && Number.isFinite(ts) ? { op: "msg", ch: "", seq, ts, p: payload } : undefined;
}

/** A user's answer that throws is an unrecognised frame, which the pool counts. */
function guarded<T>(read: (frame: string) => T | undefined): (frame: string) => T | undefined {
  return (frame) => {
    try {
      return read(frame);
    } catch {
      return undefined;
    }
  };
}

/** Validates a protocol definition and returns it as a profile; throws a TypeError naming what is missing or wrong. */
export function defineProtocol(def: ProtocolDefinition, module?: string): Profile {
  check(def);
  const reply = def.echo && guarded(def.echo.reply);
  const ack = def.ack && guarded(def.ack);
  const delivery = def.delivery && guarded(def.delivery);
  const decode = (frame: string): Reply | undefined => {
    const delivered = delivery?.(frame);
    if (typeof delivered === "string") return deliveryOf(delivered);
    const echoed = reply?.(frame);
    if (typeof echoed === "string") {
      const id = idOf(echoed);
      if (id >= 0) return { op: "echo", id, p: echoed };
    }
    const a = ack?.(frame);
    if (a && Number.isSafeInteger(a.id)) return { op: "ack", id: a.id, ok: a.ok === true, ...(a.recipients === undefined ? {} : { n: a.recipients }) };
    return undefined;
  };
  return {
    name: def.name,
    ...(module ? { module } : {}),
    decode,
    ...(def.echo ? { echo: (id: number, payload: string) => def.echo!.request(`${id}:${payload}`) } : {}),
    ...(def.subscribe ? { subscribe: (id: number, ch: string) => def.subscribe!(ch, id) } : {}),
    ...(def.unsubscribe ? { unsubscribe: (id: number, ch: string) => def.unsubscribe!(ch, id) } : {}),
    ...(def.publish ? { publish: (id: number, ch: string, seq: number, ts: number, p: string) => def.publish!(ch, `${seq}:${ts}:${p}`, id) } : {}),
    ...(def.authenticate ? { authenticate: (id: number, token: string) => def.authenticate!(token, id) } : {}),
    acks: def.ack !== undefined,
    publishAcked: def.publish !== undefined && def.publishAcked !== false,
    defaultTokens: { ...def.tokens },
    serverStats: false,
    reference: false,
  };
}
