/**
 * GraphQL over WebSocket, the `graphql-transport-ws` subprotocol (the
 * `graphql-ws` package's PROTOCOL.md): `connection_init` with a payload
 * (the role's token and `--auth`'s fields), answered `connection_ack` or
 * refused by a close (4403 Forbidden); every operation is a `subscribe` with
 * an id of the client's, answered by `next` results, then `complete` (or an
 * `error`); `ping` is answered `pong`.
 *
 * The suites map onto the operations of `graphql-ws-options.ts`, whose
 * documents and variables can be set:
 * - message: the echo query through subscribe → next → complete, tied by id;
 * - subscription: the channel subscription, acknowledged by its first `next`
 *   (the protocol has no acknowledgement, so the subscription field yields
 *   once as it starts listening, as the default schema's does), and the
 *   client's `complete`, acknowledged by a `ping` sent after it, whose `pong`
 *   (carrying its payload back) comes once the server has handled the
 *   complete: messages of a socket are handled in order. A complete waits for
 *   its subscription's first result: graphql-ws starts a subscription
 *   asynchronously and drops one completed before it settles without a word,
 *   so the subscribe would never be answered;
 * - broadcast: the publish mutation (its result: the recipients) feeding the
 *   subscription field every subscriber listens on;
 * - permission: the token in `connection_init` (a refusal fails the
 *   connection), a subscription or a publish refused with an `error` (or a
 *   result carrying `errors`) as a deny.
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { Reply } from "../protocol/messages.ts";
import { GRAPHQL_WS_DEFAULTS, type GraphqlWsOptions, graphqlWsOptionsOf } from "./graphql-ws-options.ts";
import type { Decoded, Exchange, Link, Profile, Session } from "./profile.ts";

type Message = { type?: string; id?: string; payload?: { data?: unknown; errors?: unknown; wsstress?: number } | unknown[] };
type Operation = {
  kind: "echo" | "subscribe" | "publish";
  id: number;
  channel?: string;
  acked?: boolean;
  /** an unsubscribe asked before the subscription's first result: its ping, sent after the complete once that result comes */
  unsubscribing?: Frame;
};

const quote = JSON.stringify;
const utf8 = new TextDecoder();

/** The first string (or, with `number`, the first number) in a result's data, depth first: the root field's value or a field of it. */
function firstLeaf(data: unknown, type: "string" | "number"): string | number | undefined {
  if (type === "string" ? typeof data === "string" : typeof data === "number") return data as string | number;
  if (typeof data !== "object" || data === null) return undefined;
  for (const value of Object.values(data)) {
    const found = firstLeaf(value, type);
    if (found !== undefined) return found;
  }
  return undefined;
}

const errorsOf = (payload: unknown): string =>
  quote(Array.isArray(payload) ? payload : (payload as { errors?: unknown })?.errors ?? payload).slice(0, 160);

class GraphqlWsSession implements Session {
  readonly #o: GraphqlWsOptions;
  readonly #link: Link;
  /** operation ids are the client's: one count per connection keeps them unique whatever request ids the suites reuse */
  #next = 0;
  readonly #ops = new Map<string, Operation>();
  /** the operation id of each channel's live subscription, for its complete */
  readonly #subscribed = new Map<string, string>();
  /** unsubscribes waiting for the pong of the ping sent after their complete */
  readonly #unsubscribes = new Map<number, number>();

  constructor(link: Link, options: GraphqlWsOptions) {
    this.#link = link;
    this.#o = options;
  }

  async setup(exchange: Exchange): Promise<void> {
    const { auth, token } = this.#link;
    const payload = { ...auth, ...(token === undefined ? {} : { [this.#o.tokenField]: token }) };
    const init = quote({ type: "connection_init", ...(Object.keys(payload).length > 0 ? { payload } : {}) });
    const ack = await exchange.request(init, (f) => typeof f === "string" && /"type"\s*:\s*"connection_(ack|error)"/.test(f));
    if (!String(ack).includes("connection_ack")) throw new Error(`connection_init refused: ${String(ack).slice(0, 160)}`);
  }

  #start(op: Operation, query: string, variables: Record<string, unknown>): string {
    const key = (this.#next++).toString(36);
    this.#ops.set(key, op);
    return `{"type":"subscribe","id":"${key}","payload":{"query":${quote(query)},"variables":${quote(variables)}}}`;
  }

  decode(frame: Frame): Decoded {
    let m: Message;
    try {
      m = JSON.parse(typeof frame === "string" ? frame : utf8.decode(frame));
    } catch {
      return undefined;
    }
    switch (m.type) {
      case "next":
        return this.#result(m);
      case "error":
        return this.#refused(m);
      case "complete":
        // a query's or mutation's stream ends after its result; a subscription's end is the server's to tell
        this.#ops.delete(m.id ?? "");
        return "control";
      case "ping":
        this.#link.send(m.payload ? quote({ type: "pong", payload: m.payload }) : '{"type":"pong"}');
        return "heartbeat";
      case "pong": {
        const ref = (m.payload as { wsstress?: unknown } | undefined)?.wsstress;
        const id = typeof ref === "number" ? this.#unsubscribes.get(ref) : undefined;
        if (id === undefined) return "control";
        this.#unsubscribes.delete(ref as number);
        return { op: "ack", id, ok: true };
      }
      default:
        return undefined;
    }
  }

  /** a `next`: an operation's result, a subscription's acknowledgement (its first), or a delivery */
  #result(m: Message): Decoded {
    const op = this.#ops.get(m.id ?? "");
    // after a complete, results still in flight are the protocol's to ignore
    if (!op) return "control";
    const payload = m.payload as { data?: unknown; errors?: unknown };
    if (payload?.errors !== undefined && (payload.data === undefined || payload.data === null)) return this.#refused(m);
    if (op.kind === "echo") return { op: "echo", id: op.id, p: "" };
    if (op.kind === "publish") {
      const n = firstLeaf(payload?.data, "number");
      return { op: "ack", id: op.id, ok: true, ...(typeof n === "number" ? { n } : {}) };
    }
    if (!op.acked) {
      op.acked = true;
      if (op.unsubscribing !== undefined) this.#complete(m.id ?? "", op.unsubscribing);
      return { op: "ack", id: op.id, ok: true };
    }
    const stamp = firstLeaf(payload?.data, "string");
    if (typeof stamp !== "string") return undefined;
    const [seq, ts] = stamp.split(":", 2).map(Number);
    return Number.isSafeInteger(seq) && Number.isFinite(ts) ? { op: "msg", ch: op.channel ?? "", seq, ts, p: "" } : undefined;
  }

  /** an `error`, or a result with errors and no data: the operation was refused, and is over */
  #refused(m: Message): Reply | "unmatched" {
    const key = m.id ?? "";
    const op = this.#ops.get(key);
    if (!op) return "unmatched";
    this.#ops.delete(key);
    if (op.channel !== undefined && this.#subscribed.get(op.channel) === key) this.#subscribed.delete(op.channel);
    // a refused subscription is over: the unsubscribe waiting for it needs no complete, only its answer
    if (op.unsubscribing !== undefined) this.#link.send(op.unsubscribing);
    if (op.kind === "echo") return { op: "error", id: op.id, code: "bad_request", message: errorsOf(m.payload) };
    return { op: "ack", id: op.id, ok: false };
  }

  echo(id: number, payload: string): Frame {
    return this.#start({ kind: "echo", id }, this.#o.echo, { message: `${id}:${payload}` });
  }

  subscribe(id: number, channel: string): Frame {
    const frame = this.#start({ kind: "subscribe", id, channel }, this.#o.subscribe, { channel });
    this.#subscribed.set(channel, (this.#next - 1).toString(36));
    return frame;
  }

  /**
   * The subscription's complete goes first; the ping after it is what the server answers. Before the subscription's
   * first result, both wait for it (nothing is returned to send now).
   */
  unsubscribe(id: number, channel: string): Frame | undefined {
    const ref = this.#next++;
    this.#unsubscribes.set(ref, id);
    const ping = `{"type":"ping","payload":{"wsstress":${ref}}}`;
    const key = this.#subscribed.get(channel);
    if (key === undefined) return ping;
    this.#subscribed.delete(channel);
    const op = this.#ops.get(key);
    if (op !== undefined && !op.acked) {
      op.unsubscribing = ping;
      return undefined;
    }
    this.#complete(key);
    return ping;
  }

  /** ends subscription `key`, then sends `ping` (an unsubscribe that waited) when given */
  #complete(key: string, ping?: Frame): void {
    this.#ops.delete(key);
    this.#link.send(`{"type":"complete","id":"${key}"}`);
    if (ping !== undefined) this.#link.send(ping);
  }

  publish(id: number, channel: string, seq: number, ts: number, payload: string): Frame {
    return this.#start({ kind: "publish", id }, this.#o.publish, { channel, message: `${seq}:${ts}:${payload}` });
  }
}

/** The name a profile with options `o` goes by, which any worker process rebuilds it from: `graphql-ws?echo=…`. */
function specOf(o: GraphqlWsOptions): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(o)) if (value !== GRAPHQL_WS_DEFAULTS[key as keyof GraphqlWsOptions]) query.set(key, value);
  return query.size > 0 ? `graphql-ws?${query}` : "graphql-ws";
}

/** The graphql-ws profile with `options`, checked; `module` is the name it goes by, made from the options when absent. */
export function graphqlWsProfile(options: Partial<GraphqlWsOptions> = {}, module?: string): Profile {
  const spec = specOf({ ...GRAPHQL_WS_DEFAULTS, ...options });
  const o = graphqlWsOptionsOf(spec.split("?")[1] ?? "");
  return {
    name: "graphql-ws",
    module: module ?? spec,
    operations: ["echo", "subscribe", "unsubscribe", "publish", "authenticate", "acks"],
    setup: true,
    protocols: ["graphql-transport-ws"],
    open: (link) => new GraphqlWsSession(link, o),
    publishAcked: true,
    defaultTokens: { subscriber: "subscriber-token", publisher: "publisher-token", admin: "admin-token" },
    serverStats: false,
    reference: false,
  };
}
