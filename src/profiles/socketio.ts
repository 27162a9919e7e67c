/**
 * Socket.IO v4 (protocol 5) over Engine.IO v4 on a direct WebSocket
 * transport, written from the two protocol documents: the server speaks
 * first (Engine.IO's open packet `0{sid, pingInterval, pingTimeout}`), the
 * client connects its namespace (`40/ns,{auth}`, answered `40…{sid}` or
 * refused `44…{message}`), the server pings (`2`) and the client answers
 * (`3`), and every request is an event with an acknowledgement id
 * (`42/ns,7["echo","…"]` answered `43/ns,7[…]`), so replies are tied by id.
 *
 * The suites map onto events whose names the user can set (`socketio-options.ts`):
 * message = `echo` acknowledged with its data; subscription = `join` and
 * `leave` a room, acknowledged; broadcast = `publish` to a room, whose
 * members get the `message` event; permission = the role's token in the
 * CONNECT's `auth` (a middleware that refuses it refuses the connection) and
 * an acknowledgement `{ ok: false }` for what the role may not do.
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { Reply } from "../protocol/messages.ts";
import type { Decoded, Exchange, Link, Profile, Session } from "./profile.ts";
import { engineUrl, SOCKETIO_DEFAULTS, type SocketIoOptions } from "./socketio-options.ts";

const quote = JSON.stringify;

/** An acknowledgement's first argument as a decision: nothing, true or an object without `ok: false` or `error` is a grant. */
function granted(first: unknown): boolean {
  if (first === undefined || first === null || first === true) return true;
  if (first === false) return false;
  if (typeof first === "object") return (first as { ok?: unknown }).ok !== false && (first as { error?: unknown }).error === undefined;
  return true;
}

/** The first object argument carrying a numeric seq and ts: what wsstress published, as the server relayed it. */
function stampOf(args: unknown[]): { ch: string; seq: number; ts: number } | undefined {
  for (const a of args) {
    const o = a as { ch?: unknown; seq?: unknown; ts?: unknown } | null;
    if (o && typeof o === "object" && typeof o.seq === "number" && typeof o.ts === "number") {
      return { ch: typeof o.ch === "string" ? o.ch : "", seq: o.seq, ts: o.ts };
    }
  }
  return undefined;
}

class SocketIoSession implements Session {
  readonly #link: Link;
  readonly #o: Required<SocketIoOptions>;
  /** `/ns,` in front of every packet of a namespace other than the main one */
  readonly #ns: string;
  /** what each acknowledgement id still waiting was sent as */
  readonly #waiting = new Map<number, "echo" | "ack">();

  constructor(link: Link, options: Required<SocketIoOptions>) {
    this.#link = link;
    this.#o = options;
    this.#ns = options.namespace === "/" ? "" : `${options.namespace},`;
  }

  async setup(exchange: Exchange): Promise<void> {
    const open = String(await exchange.expect((f) => typeof f === "string" && f.startsWith("0")));
    const { pingInterval, pingTimeout } = JSON.parse(open.slice(1)) as { pingInterval?: number; pingTimeout?: number };
    // engine.io-client's rule: no ping within pingInterval + pingTimeout means the connection is gone
    if (typeof pingInterval === "number" && typeof pingTimeout === "number") this.#link.heartbeatWithin(pingInterval + pingTimeout);
    const auth = { ...this.#link.auth, ...(this.#link.token === undefined ? {} : { [this.#o.tokenField]: this.#link.token }) };
    const payload = Object.keys(auth).length > 0 ? quote(auth) : "";
    const mine = (f: Frame): boolean => typeof f === "string" && (f.startsWith(`40${this.#ns}`) || f.startsWith(`44${this.#ns}`));
    const answer = String(await exchange.request(`40${this.#ns}${payload}`, mine));
    if (answer.startsWith("44")) {
      const refusal = answer.slice(2 + this.#ns.length);
      throw new Error(
        `namespace ${this.#o.namespace} refused the connection: ${(JSON.parse(refusal) as { message?: string }).message ?? refusal}`,
      );
    }
  }

  decode(frame: Frame): Decoded {
    if (typeof frame !== "string") return undefined;
    if (frame === "2") {
      this.#link.send("3");
      return "heartbeat";
    }
    if (frame === "6" || frame.startsWith("3")) return "control";
    if (frame.startsWith("1")) {
      this.#link.lost("Engine.IO close packet");
      return "control";
    }
    if (!frame.startsWith("4")) return undefined;
    // a packet of another namespace (the main one's have no `/ns,`)
    if (this.#ns === "" ? frame[2] === "/" : !frame.startsWith(this.#ns, 2)) return "unmatched";
    try {
      return this.#packet(frame[1], frame.slice(2 + this.#ns.length));
    } catch {
      return undefined;
    }
  }

  /** a Socket.IO packet of this namespace: its type, then `[ack id][JSON array]` */
  #packet(type: string, rest: string): Decoded {
    if (type === "1") {
      this.#link.lost(`Socket.IO DISCONNECT from namespace ${this.#o.namespace}`);
      return "control";
    }
    if (type !== "2" && type !== "3") return type === "0" || type === "4" ? "control" : undefined;
    const digits = /^\d*/.exec(rest)![0];
    const args = JSON.parse(rest.slice(digits.length)) as unknown[];
    if (!Array.isArray(args)) return undefined;
    if (type === "2") {
      if (args[0] !== this.#o.message) return "unmatched";
      const stamp = stampOf(args.slice(1));
      return stamp ? { op: "msg", ch: stamp.ch, seq: stamp.seq, ts: stamp.ts, p: "" } : undefined;
    }
    const id = Number(digits);
    const kind = this.#waiting.get(id);
    if (digits === "" || kind === undefined) return "unmatched";
    this.#waiting.delete(id);
    if (kind === "echo") return { op: "echo", id, p: "" };
    const first = args[0] as { recipients?: unknown } | undefined;
    const n = typeof first?.recipients === "number" ? first.recipients : undefined;
    return { op: "ack", id, ok: granted(first), ...(n === undefined ? {} : { n }) } satisfies Reply;
  }

  #emit(id: number, kind: "echo" | "ack", args: string): string {
    this.#waiting.set(id, kind);
    return `42${this.#ns}${id}[${args}]`;
  }

  echo(id: number, payload: string): Frame {
    return this.#emit(id, "echo", `${quote(this.#o.echo)},${quote(payload)}`);
  }

  subscribe(id: number, channel: string): Frame {
    return this.#emit(id, "ack", `${quote(this.#o.join)},${quote(channel)}`);
  }

  unsubscribe(id: number, channel: string): Frame {
    return this.#emit(id, "ack", `${quote(this.#o.leave)},${quote(channel)}`);
  }

  publish(id: number, channel: string, seq: number, ts: number, payload: string): Frame {
    return this.#emit(
      id,
      "ack",
      `${quote(this.#o.publish)},${quote(channel)},{"ch":${quote(channel)},"seq":${seq},"ts":${ts},"p":${quote(payload)}}`,
    );
  }
}

/** The Socket.IO profile with `options` (event names, namespace, path); `spec` is how a worker process names it again. */
export function socketioProfile(options: SocketIoOptions = {}, spec = "socketio"): Profile {
  const o: Required<SocketIoOptions> = { ...SOCKETIO_DEFAULTS, ...options };
  return {
    name: "socketio",
    module: spec,
    operations: ["echo", "subscribe", "unsubscribe", "publish", "authenticate", "acks"],
    setup: true,
    url: (target) => engineUrl(target, options.path),
    open: (link) => new SocketIoSession(link, o),
    publishAcked: true,
    defaultTokens: {},
    serverStats: false,
    reference: false,
  };
}
