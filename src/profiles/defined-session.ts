/**
 * One connection of a `defineProtocol` profile: frames each request from the
 * user's functions, keeps the requests still waiting for a reply of their
 * kind, and reads every server frame back as a reference reply with the id of
 * the request it answers (by id, by `match`, or the oldest waiting). A user's
 * function that throws is a frame it cannot read, never an exception in the
 * socket's event loop.
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { Delivery, Reply } from "../protocol/messages.ts";
import type { Answer, EchoFields, ProtocolDefinition, RequestSpec, SetupConnection } from "./protocol-definition.ts";
import type { Decoded, Exchange, Link, Session } from "./profile.ts";

type Kind = "echo" | "subscribe" | "unsubscribe" | "publish" | "authenticate";
type Waiting = { id: number; fields: unknown };
type Spec = { reply?(message: unknown): Answer | string; match?(message: unknown, request: unknown): boolean };

const utf8 = new TextDecoder();
const asText = (frame: Frame): string => (typeof frame === "string" ? frame : utf8.decode(frame));

/** `id:` in front of an echoed stamp; the id read back, or -1 */
function idOf(stamp: string): number {
  const colon = stamp.indexOf(":");
  const id = colon > 0 ? Number(stamp.slice(0, colon)) : NaN;
  return Number.isSafeInteger(id) && id >= 0 ? id : -1;
}

/** a delivery from its `seq:ts:` stamp or its fields; undefined when they are no numbers */
function deliveryOf(d: string | { seq: number; ts: number; channel?: string }): Delivery | undefined {
  const [seq, ts] = typeof d === "string" ? d.split(":", 2).map(Number) : [d.seq, d.ts];
  const ch = typeof d === "object" && typeof d.channel === "string" ? d.channel : "";
  return Number.isSafeInteger(seq) && Number.isFinite(ts) ? { op: "msg", ch, seq, ts, p: "" } : undefined;
}

const objectForm = (spec: unknown): spec is RequestSpec<unknown, unknown> => typeof spec === "object" && spec !== null;

export function openDefinedSession<M>(def: ProtocolDefinition<M>, link: Link): Session {
  const parse = def.parse ?? ((frame: Frame) => asText(frame) as M);
  const waiting: Record<Kind, Waiting[]> = { echo: [], subscribe: [], unsubscribe: [], publish: [], authenticate: [] };
  /** the kinds whose replies the definition recognises itself, tried in this order */
  const specs: Array<[Kind, Spec]> = [];
  if (def.echo) specs.push(["echo", def.echo as Spec]);
  for (const kind of ["subscribe", "unsubscribe", "publish", "authenticate"] as const) {
    const spec = def[kind];
    if (objectForm(spec) && spec.reply) specs.push([kind, spec as Spec]);
  }

  const sent = <F>(kind: Kind, fields: F & { id: number }): F => {
    waiting[kind].push({ id: fields.id, fields });
    return fields;
  };

  /** the reply `answer` gives, tied to the request it answers; "unmatched" when none is waiting */
  const resolve = (kind: Kind, spec: Spec, answer: Exclude<Answer, false | undefined> | string, message: M): Reply | "unmatched" => {
    const queue = waiting[kind];
    const given = typeof answer === "string" ? idOf(answer) : typeof answer === "object" ? answer.id : undefined;
    let at: number;
    if (given !== undefined) at = queue.findIndex((w) => w.id === given);
    else if (spec.match) at = queue.findIndex((w) => spec.match!(message, w.fields));
    else at = queue.length > 0 ? 0 : -1;
    if ((given === undefined || given < 0) && at < 0) return "unmatched";
    const id = given !== undefined && given >= 0 ? given : queue[at].id;
    if (at >= 0) queue.splice(at, 1);
    if (kind === "echo") return { op: "echo", id, p: "" };
    const ok = answer === true || (typeof answer === "object" && answer.ok !== false);
    const n = typeof answer === "object" ? answer.recipients : undefined;
    return { op: "ack", id, ok, ...(n === undefined ? {} : { n }) };
  };

  const read = (message: M): Decoded => {
    const beat = def.heartbeat?.(message);
    if (beat) {
      if (beat !== true) link.send(beat);
      return "heartbeat";
    }
    const ended = def.ended?.(message);
    if (ended !== undefined) {
      link.lost(ended);
      return "control";
    }
    const delivered = def.delivery?.(message);
    if (delivered !== undefined) return deliveryOf(delivered);
    if (def.ignore?.(message)) return "control";
    const a = def.ack?.(message);
    if (a && Number.isSafeInteger(a.id)) {
      for (const queue of Object.values(waiting)) {
        const at = queue.findIndex((w) => w.id === a.id);
        if (at >= 0) queue.splice(at, 1);
      }
      return { op: "ack", id: a.id, ok: a.ok === true, ...(a.recipients === undefined ? {} : { n: a.recipients }) };
    }
    for (const [kind, spec] of specs) {
      const answer = spec.reply!(message);
      if (answer) return resolve(kind, spec, answer, message);
    }
    return undefined;
  };

  const session: Session = {
    decode(frame) {
      try {
        return read(parse(frame));
      } catch {
        return undefined;
      }
    },
  };
  if (def.setup) session.setup = (exchange) => def.setup!(setupConnection(link, exchange, parse));
  const echo = def.echo;
  if (echo) {
    session.echo = (id, payload) => {
      const fields: EchoFields = sent("echo", { id, payload, stamp: `${id}:${payload}` });
      return echo.request(fields.stamp, fields);
    };
  }
  for (const kind of ["subscribe", "unsubscribe"] as const) {
    const spec = def[kind];
    if (typeof spec === "function") session[kind] = (id, channel) => spec(channel, id);
    else if (spec) session[kind] = (id, channel) => spec.request(spec.reply ? sent(kind, { id, channel }) : { id, channel });
  }
  const publish = def.publish;
  if (typeof publish === "function") session.publish = (id, channel, seq, ts, payload) => publish(channel, `${seq}:${ts}:${payload}`, id);
  else if (publish) {
    session.publish = (id, channel, seq, ts, payload) => {
      const fields = { id, channel, seq, ts, payload, stamp: `${seq}:${ts}:${payload}` };
      return publish.request(publish.reply ? sent("publish", fields) : fields);
    };
  }
  const auth = def.authenticate;
  if (typeof auth === "function") session.authenticate = (id, token) => auth(token, id);
  else if (objectForm(auth)) {
    session.authenticate = (id, token) => auth.request(auth.reply ? sent("authenticate", { id, token }) : { id, token });
  }
  return session;
}

/** The user's view of the setup: messages parsed once, a match that throws is no match. */
function setupConnection<M>(link: Link, exchange: Exchange, parse: (frame: Frame) => M): SetupConnection<M> {
  const expect = async (match: (message: M) => boolean): Promise<M> => {
    let found: M | undefined;
    await exchange.expect((frame) => {
      try {
        const message = parse(frame);
        if (!match(message)) return false;
        found = message;
        return true;
      } catch {
        return false;
      }
    });
    return found as M;
  };
  return {
    index: link.index,
    ...(link.token === undefined ? {} : { token: link.token }),
    ...(link.auth === undefined ? {} : { auth: link.auth }),
    send: (frame: Frame) => exchange.send(frame),
    expect,
    request: (frame: Frame, match: (message: M) => boolean) => {
      exchange.send(frame);
      return expect(match);
    },
    heartbeatWithin: (ms: number) => link.heartbeatWithin(ms),
    keepAlive: (ms: number, frame: Frame) => link.keepAlive(ms, frame),
  };
}
