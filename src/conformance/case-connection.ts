/**
 * One case's WebSocket connection, spoken byte by byte over a raw socket the
 * runtime hands in: the opening handshake, any frames the case writes (in
 * the chops it asks for), every server frame checked against RFC 6455 as it
 * arrives, pings answered, and the closing handshake tracked the way
 * Autobahn|Testsuite judges it: who closed first, whether both close frames
 * crossed, the server's code, and who dropped the TCP connection.
 */
import type { RawSocket, Runtime } from "../model/runtime-contract.ts";
import { closePayload, concatBytes, encodeFrame, type FrameSpec, OPCODE } from "./frame-codec.ts";
import { ServerStream, type StreamSink } from "./server-stream.ts";
import { acceptFor, headEnd, newKey, readAnswer, requestText } from "./opening-handshake.ts";
import {
  type DeflateCodec,
  deflateCodec,
  type DeflateEngine,
  type DeflateOffer,
  type Negotiated,
  offerText,
  readAgreement,
} from "./deflate-extension.ts";
import { frameNote, WireLog } from "./wire-log.ts";
import { closeCodeProblem } from "./close-codes.ts";

export type Target = { url: string; headers?: Readonly<Record<string, string>>; protocols?: readonly string[]; ca?: string };

export type CaseEvent =
  | { kind: "message"; binary: boolean; data: Uint8Array }
  | { kind: "ping" | "pong"; data: Uint8Array }
  | { kind: "timeout"; tag: string };

export type ConnectionOptions = {
  offers: readonly DeflateOffer[];
  /** fflate, when there are offers */
  engine?: DeflateEngine;
  /** how long the close handshake and the server's TCP close may take before the client drops the connection */
  closeTimeoutMs: number;
  connectTimeoutMs: number;
  maxMessageBytes: number;
};

export class CaseConnection {
  readonly log: WireLog = new WireLog();
  readonly events: CaseEvent[] = [];
  /** what the server did that RFC 6455 or 7692 forbids */
  readonly violations: string[] = [];
  state: "connecting" | "open" | "closing" | "closed" = "connecting";
  /** why the connection never opened */
  openError?: string;
  handshake?: { status: number; extensions: string; protocol: string };
  deflate?: Negotiated;
  closedByMe?: boolean;
  droppedByMe = false;
  closeSent = false;
  remoteClose?: { code?: number; reason: string };
  /** payload bytes of data frames, and their bytes on the wire, both ways (for the deflate cases' ratio) */
  readonly traffic = { payload: 0, wire: 0 };
  onEvent: (event: CaseEvent) => void = () => {};
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;
  #socket?: RawSocket;
  #stream?: ServerStream;
  #codec?: DeflateCodec;
  #queue: Promise<void> = Promise.resolve();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #options: ConnectionOptions;

  private constructor(options: ConnectionOptions) {
    this.#options = options;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  /** Connects and completes the handshake; resolves either way (see `state` and `openError`). */
  static async open(runtime: Runtime, target: Target, options: ConnectionOptions): Promise<CaseConnection> {
    const c = new CaseConnection(options);
    await c.#connect(runtime, target);
    return c;
  }

  get isOpen(): boolean {
    return this.state === "open";
  }

  /** Runs `fn` after `ms` unless the connection is gone by then. */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.state !== "closed") fn();
    }, ms);
    this.#timers.add(timer);
  }

  /**
   * Writes frames: as one write, one write per frame, or in chops of `chop`
   * bytes each. `payloadBytes`: the message's size before compression.
   */
  send(frames: readonly FrameSpec[], how: { chop?: number; perFrame?: boolean } = {}, payloadBytes?: number): void {
    const encoded = frames.map((f) => {
      const bytes = encodeFrame(f);
      this.log.add("sent", frameNote({ ...f, fin: f.fin ?? true, rsv: f.rsv ?? 0, payload: f.payload ?? new Uint8Array(0) }), bytes);
      if (f.opcode < 8) {
        if (payloadBytes === undefined) this.traffic.payload += f.payload?.length ?? 0;
        this.traffic.wire += bytes.length;
      }
      return bytes;
    });
    if (payloadBytes !== undefined) this.traffic.payload += payloadBytes;
    const writes = how.perFrame ? encoded : [concatBytes(encoded)];
    const chop = how.chop;
    if (chop !== undefined) this.log.add("event", `sent in chops of ${chop} byte${chop === 1 ? "" : "s"}`);
    const pieces = chop === undefined
      ? writes
      : writes.flatMap((bytes) =>
        Array.from({ length: Math.ceil(bytes.length / chop) }, (_, i) => bytes.subarray(i * chop, (i + 1) * chop))
      );
    this.#queue = this.#queue.then(async () => {
      for (const [i, bytes] of pieces.entries()) {
        // a turn of the event loop between writes, as Autobahn's queued writes take: each leaves as its own
        // segment and the server gets to act on it before the next (what "frame-wise" and "octet-wise" test)
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
        await this.#write(bytes);
      }
    });
  }

  /** A message compressed with the negotiated deflate (undefined when none was). */
  compress(message: Uint8Array): Uint8Array | undefined {
    return this.#codec?.compress(message);
  }

  /** Writes bytes as they are: a piece of a frame the case cut where it wanted. */
  sendBytes(bytes: Uint8Array, note: string): void {
    this.log.add("sent", note, bytes);
    this.#queue = this.#queue.then(() => this.#write(bytes));
  }

  /** A close frame with `code` and `reason` as given (invalid ones too); the first one starts the closing handshake. */
  sendClose(code?: number, reason: Uint8Array | string = "", how: { chop?: number } = {}): void {
    const first = !this.closeSent;
    this.closeSent = true;
    if (first && this.state === "open") {
      this.closedByMe ??= true;
      this.state = "closing";
      // a server that never answers the close is dropped, as Autobahn's client does
      this.later(this.#options.closeTimeoutMs, () => {
        if (this.remoteClose === undefined) this.drop("no close frame came back in time");
      });
    }
    this.send([{ opcode: OPCODE.close, payload: closePayload(code, reason) }], how);
  }

  /** Drops the TCP connection now (Autobahn's kill). */
  drop(why: string): void {
    if (this.state === "closed" || this.droppedByMe) return;
    this.droppedByMe = true;
    this.closedByMe ??= true;
    this.log.add("event", `the client dropped the TCP connection: ${why}`);
    this.#socket?.destroy();
  }

  async #write(bytes: Uint8Array): Promise<void> {
    await this.#socket?.write(bytes);
  }

  async #connect(runtime: Runtime, target: Target): Promise<void> {
    const url = new URL(target.url);
    const tls = url.protocol === "wss:";
    const key = newKey();
    const request = {
      url,
      key,
      extensions: this.#options.offers.map(offerText),
      protocols: target.protocols ?? [],
      headers: target.headers ?? {},
    };
    const accept = await acceptFor(key);
    let head: Uint8Array[] = [];
    let opened!: () => void;
    const done = new Promise<void>((resolve) => (opened = resolve));
    const connectTimer = setTimeout(() => {
      this.openError = `no handshake answer within ${this.#options.connectTimeoutMs} ms`;
      this.#socket?.destroy();
    }, this.#options.connectTimeoutMs);
    this.#socket = runtime.connectRaw({ host: url.hostname, port: Number(url.port || (tls ? 443 : 80)), tls, ca: target.ca }, {
      onOpen: () => {
        const text = requestText(request);
        this.log.add(
          "sent",
          `handshake: ${text.split("\r\n", 1)[0]}${request.extensions.length ? `, offers ${request.extensions.join(", ")}` : ""}`,
        );
        void this.#socket!.write(new TextEncoder().encode(text));
      },
      onData: (chunk) => {
        if (this.state !== "connecting") return this.#stream?.push(chunk);
        head.push(chunk);
        const bytes = concatBytes(head);
        const end = headEnd(bytes);
        if (end < 0) return;
        head = [];
        clearTimeout(connectTimer);
        this.#answered(new TextDecoder().decode(bytes.subarray(0, end - 4)), request, accept);
        opened();
        if (this.isOpen && end < bytes.length) this.#stream?.push(bytes.subarray(end));
      },
      onEnd: () => this.log.add("event", "the server ended its side of the TCP connection (FIN)"),
      onClose: (error) => {
        clearTimeout(connectTimer);
        if (this.state === "connecting") {
          this.openError ??= error ? `cannot connect: ${error.message}` : "closed before answering the handshake";
        }
        this.#gone(error);
        opened();
      },
    });
    await done;
  }

  #answered(head: string, request: Parameters<typeof readAnswer>[1], accept: string): void {
    const answer = readAnswer(head, request, accept);
    this.log.add(
      "received",
      `handshake: ${head.split("\r\n", 1)[0]}${
        answer.headers.has("sec-websocket-extensions") ? `, extensions ${answer.headers.get("sec-websocket-extensions")}` : ""
      }`,
    );
    this.handshake = {
      status: answer.status,
      extensions: answer.headers.get("sec-websocket-extensions") ?? "",
      protocol: answer.headers.get("sec-websocket-protocol") ?? "",
    };
    if (answer.status !== 101 || answer.problem !== undefined) {
      this.openError = answer.problem ?? `the server answered the upgrade with HTTP ${answer.status}`;
      this.#socket?.destroy();
      return;
    }
    if (this.#options.offers.length > 0) {
      this.deflate = readAgreement(answer.headers.get("sec-websocket-extensions"), this.#options.offers);
      if ("agreement" in this.deflate && this.#options.engine) this.#codec = deflateCodec(this.#options.engine, this.deflate.agreement);
    }
    this.#stream = new ServerStream(this.#options.maxMessageBytes, this.#codec, this.#sink());
    this.state = "open";
  }

  /** What the server's frames do to the connection: events recorded, pings answered, the close handled. */
  #sink(): StreamSink {
    return {
      frame: (frame) => {
        if (this.droppedByMe) return;
        this.log.add("received", frameNote(frame), frame.payload);
        const n = frame.payload.length;
        if (frame.opcode < 8) this.traffic.wire += n + (n < 126 ? 2 : n < 65536 ? 4 : 10);
      },
      ping: (payload) => {
        this.#record({ kind: "ping", data: payload });
        if (!this.closeSent) this.send([{ opcode: OPCODE.pong, payload }]);
      },
      pong: (payload) => this.#record({ kind: "pong", data: payload }),
      message: (binary, data) => {
        this.traffic.payload += data.length;
        this.#record({ kind: "message", binary, data });
      },
      close: (payload) => this.#closeFrame(payload),
      violation: (problem) => {
        this.violations.push(problem);
        this.drop(`the server broke the protocol: ${problem}`);
      },
    };
  }

  #closeFrame(payload: Uint8Array): void {
    const problem = closeCodeProblem(payload);
    const code = payload.length >= 2 ? (payload[0] << 8) | payload[1] : undefined;
    this.remoteClose = { code, reason: payload.length > 2 ? new TextDecoder().decode(payload.subarray(2)) : "" };
    if (problem !== undefined) this.violations.push(`the server's close frame: ${problem}`);
    if (!this.closeSent) {
      this.closedByMe ??= false;
      // the reply echoes the code, as RFC 6455 §5.5.1 suggests; a server's invalid code is not echoed
      this.sendClose(problem === undefined ? code : 1002);
    }
    this.state = "closing";
    // the server closes the TCP connection first (§7.1.1); one that does not is dropped
    this.later(this.#options.closeTimeoutMs, () => this.drop("the server did not close the TCP connection after the close handshake"));
  }

  #record(event: CaseEvent): void {
    this.events.push(event);
    this.onEvent(event);
  }

  #gone(error?: Error): void {
    if (this.state === "closed") return;
    const was = this.state;
    this.state = "closed";
    if (was !== "connecting") {
      this.closedByMe ??= false;
      this.log.add(
        "event",
        this.droppedByMe ? "the TCP connection is closed" : `the server closed the TCP connection${error ? ` (${error.message})` : ""}`,
      );
    }
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#resolveClosed();
  }

  /** Both close frames crossed and the server closed the TCP connection itself. */
  get wasClean(): boolean {
    return this.closeSent && this.remoteClose !== undefined && !this.droppedByMe;
  }
}
