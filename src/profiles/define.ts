/**
 * `defineProtocol`: a profile for a server that speaks its own protocol. The
 * user says how to frame each request and how to recognise each answer;
 * `defined-session.ts` does the bookkeeping on every connection.
 *
 * A reply is tied to its request in one of three ways: by id (the reply
 * gives it back: `ack(frame) → { id }`, or the echoed stamp), by content
 * (`match(message, request)` picks the request it answers), or by order
 * (the n-th reply of a kind answers the n-th request of that kind still
 * waiting). Latency never depends on the server keeping more than the
 * protocol needs: the stamp (`id:payload`, `seq:ts:payload`) rides in
 * whatever field the server carries back, or the profile shapes its own
 * fields from the request's (`id`, `seq`, `ts` as numbers).
 *
 * @example
 * ```ts
 * import { defineProtocol } from "../../mod.ts";
 * export default defineProtocol({
 *   name: "json-echo",
 *   echo: {
 *     request: (stamp) => JSON.stringify({ type: "echo", payload: stamp }),
 *     reply: (frame) => JSON.parse(frame).payload,
 *   },
 * });
 * ```
 */
import { openDefinedSession } from "./defined-session.ts";
import { AUTH_ROLES, type Link, type Operation, type Profile } from "./profile.ts";
import type { ProtocolDefinition, RequestSpec } from "./protocol-definition.ts";

const REQUESTS = ["subscribe", "unsubscribe", "publish", "authenticate"] as const;
const FUNCTIONS = ["parse", "url", "setup", "heartbeat", "ended", "ignore", "ack", "delivery"] as const;
const SHAPE = "{ name, parse?, url?, setup?, heartbeat?, ended?, ignore?, echo?, subscribe?, unsubscribe?, publish?, " +
  "authenticate?, ack?, delivery? }";

const isFn = (f: unknown): boolean => typeof f === "function";
/** whether a request in object form recognises its own replies */
const answered = (spec: unknown): boolean =>
  typeof spec === "object" && spec !== null && isFn((spec as RequestSpec<unknown, unknown>).reply);

function check<M>(def: ProtocolDefinition<M>): void {
  const fail = (what: string): never => {
    throw new TypeError(`defineProtocol(${typeof def?.name === "string" ? JSON.stringify(def.name) : ""}): ${what}`);
  };
  if (typeof def !== "object" || def === null) fail(`expected an object ${SHAPE}, got ${def === null ? "null" : typeof def}`);
  if (typeof def.name !== "string" || !/^[\w.@/-]+$/.test(def.name)) fail("name must be a non-empty string of letters, digits, . _ - @ /");
  if (def.echo !== undefined && (!isFn(def.echo?.request) || !isFn(def.echo?.reply))) {
    fail("echo must be { request(stamp, fields) => frame, reply(message) => stamp | answer }");
  }
  for (const key of FUNCTIONS) if (def[key] !== undefined && !isFn(def[key])) fail(`${key} must be a function, got ${typeof def[key]}`);
  for (const key of REQUESTS) {
    const spec = def[key];
    if (spec === undefined || isFn(spec) || (key === "authenticate" && spec === "setup")) continue;
    if (typeof spec !== "object" || spec === null || !isFn(spec.request)) {
      fail(`${key} must be a function or { request(fields) => frame, reply?(message), match?(message, request) }`);
    }
    const { reply, match } = spec as RequestSpec<unknown, M>;
    for (const [f, given] of [["reply", reply], ["match", match]] as const) {
      if (given !== undefined && !isFn(given)) fail(`${key}.${f} must be a function`);
    }
  }
  const unread = (["subscribe", "unsubscribe", "authenticate"] as const).filter((k) =>
    def[k] !== undefined && def[k] !== "setup" && !answered(def[k])
  );
  if (unread.length > 0 && !def.ack) {
    fail(`${unread.join(", ")} need ack(message) => { id, ok } or reply(message) in object form to recognise the server's answer`);
  }
  if (def.publish && def.publishAcked !== false && !answered(def.publish) && !def.ack) {
    fail("publish needs ack(message) => { id, ok } or reply(message), or publishAcked: false when the server does not answer a publish");
  }
  if (def.publish && !def.delivery) fail("publish needs delivery(message) => stamp | { seq, ts } to recognise what subscribers receive");
  if (def.authenticate === "setup" && !def.setup) fail('authenticate: "setup" needs a setup(connection) that sends connection.token');
  if (def.publishAcked !== undefined && typeof def.publishAcked !== "boolean") fail("publishAcked must be true or false");
  for (const [role, token] of Object.entries(def.tokens ?? {})) {
    if (!(AUTH_ROLES as readonly string[]).includes(role)) fail(`tokens.${role}: roles are ${AUTH_ROLES.join(", ")}`);
    if (typeof token !== "string") fail(`tokens.${role} must be a string`);
  }
}

/** What the definition lets a session do, for the suites' `missing()`. */
function operationsOf<M>(def: ProtocolDefinition<M>): Operation[] {
  const ops: Operation[] = [];
  if (def.echo) ops.push("echo");
  for (const key of REQUESTS) if (def[key] !== undefined) ops.push(key);
  if (def.ack || REQUESTS.some((k) => answered(def[k]))) ops.push("acks");
  return ops;
}

/** Validates a protocol definition and returns it as a profile; throws a TypeError naming what is missing or wrong. */
export function defineProtocol<M = string>(def: ProtocolDefinition<M>, module?: string): Profile {
  check(def);
  const url = def.url;
  return {
    name: def.name,
    ...(module ? { module } : {}),
    operations: operationsOf(def),
    setup: def.setup !== undefined,
    ...(url ? { url: (target: string) => url(target) } : {}),
    open: (link: Link) => openDefinedSession(def, link),
    publishAcked: def.publish !== undefined && def.publishAcked !== false,
    defaultTokens: { ...def.tokens },
    serverStats: false,
    reference: false,
  };
}
