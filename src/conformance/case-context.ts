/**
 * What a case script works with, in the shape of an Autobahn|Testsuite case:
 * it states the outcomes it would accept (`expect`, `expectClose`), writes
 * frames (the server's dialect wraps the data frames), and sets timers
 * (`killAfter`, `closeAfter`, `later`). Events are recorded as they come;
 * once they match the OK outcome of a case the client closes, the client
 * starts the closing handshake at once, as Autobahn's does.
 */
import type { ConformanceVerdict } from "../model/conformance-result.ts";
import type { CaseConnection, CaseEvent } from "./case-connection.ts";
import type { DeflateAgreement } from "./deflate-extension.ts";
import type { EchoDialect } from "./echo-dialects.ts";
import { encodeFrame, type FrameSpec, OPCODE, repeatTo, utf8 } from "./frame-codec.ts";

export type Bytes = Uint8Array | string;
/** Autobahn's event tuples: a message (payload, binary), a pong, or a marker a timer set. */
export type ExpectedEvent = ["message", Bytes, boolean] | ["pong", Bytes] | ["timeout", string];

export type CloseExpectation = {
  /** who should start the close: the client (a close frame of the case's own) or the server (failing the connection) */
  by: "client" | "server";
  /** codes the server's close frame may carry */
  codes: readonly number[];
  /** the closing handshake must complete */
  clean: boolean;
  /** the invalid UTF-8 cases: when the client has to close, the server never noticed, and the case fails */
  wrongEndpointFatal?: boolean;
};

export type ContextOptions = {
  dialect: EchoDialect;
  /** the least any kill timer waits, ms: under load, a slow answer is not a protocol violation */
  patienceMs: number;
  /** the deflate cases send at most this many messages (the sample under load sends fewer) */
  messageLimit?: number;
};

export type FrameOptions = Omit<FrameSpec, "payload"> & { payload?: Bytes };

const bytesOf = (b: Bytes): Uint8Array => (typeof b === "string" ? utf8(b) : b);

export class CaseContext {
  readonly expected: Array<[ConformanceVerdict, CaseEvent[]]> = [];
  closeExpectation: CloseExpectation = { by: "client", codes: [1000], clean: true };
  /** a verdict the script settled itself (the limits and deflate cases), with its reason */
  settled?: { verdict: ConformanceVerdict; reason: string };
  /** the script closes the connection itself: matching the OK events starts no close */
  suppressClose = false;
  readonly conn: CaseConnection;
  readonly options: ContextOptions;
  #messageIsBinary = false;
  #onMessage?: (event: Extract<CaseEvent, { kind: "message" }>) => void;

  constructor(conn: CaseConnection, options: ContextOptions) {
    this.conn = conn;
    this.options = options;
    conn.onEvent = (event) => {
      if (event.kind === "message" && this.#onMessage) return this.#onMessage(event);
      this.#closeWhenDone();
    };
  }

  get dialect(): EchoDialect {
    return this.options.dialect;
  }

  get deflate(): DeflateAgreement | undefined {
    const d = this.conn.deflate;
    return d && "agreement" in d ? d.agreement : undefined;
  }

  /** The messages of an outcome are what the dialect sends back for each. */
  expect(verdict: ConformanceVerdict, events: readonly ExpectedEvent[]): void {
    const mapped = events.map((e): CaseEvent => {
      if (e[0] === "timeout") return { kind: "timeout", tag: e[1] };
      if (e[0] === "pong") return { kind: "pong", data: bytesOf(e[1]) };
      const reply = this.dialect.reply(bytesOf(e[1]), e[2]);
      return { kind: "message", binary: reply.binary, data: reply.data };
    });
    this.expected.push([verdict, mapped]);
  }

  expectClose(expectation: CloseExpectation): void {
    this.closeExpectation = expectation;
  }

  /** Autobahn's payload_len: `pattern` repeated so the message is `length` bytes on the wire, envelope included. */
  fill(length: number, pattern: Bytes): Uint8Array {
    return repeatTo(bytesOf(pattern), Math.max(0, length - this.dialect.overhead));
  }

  /** Writes frames (one write, one per frame, or in chops); data frames go through the dialect. */
  send(frames: FrameOptions | readonly FrameOptions[], how: { chop?: number; perFrame?: boolean } = {}): void {
    const list = Array.isArray(frames) ? frames : [frames as FrameOptions];
    this.conn.send(list.map((f) => this.#data(f)), how);
  }

  /**
   * One data frame's bytes cut into pieces where `cuts` fall (offsets into
   * the payload as the case gives it), for writes at different times: the
   * envelope and the mask key stay with the first piece.
   */
  framePieces(frame: FrameOptions, cuts: readonly number[]): Uint8Array[] {
    const spec = this.#data(frame);
    const bytes = encodeFrame(spec);
    const payload = bytesOf(frame.payload ?? "");
    const header = bytes.length - spec.payload!.length;
    const binary = frame.opcode === OPCODE.binary;
    const at = [0, ...cuts.map((cut) => header + this.dialect.frame(payload.subarray(0, cut), binary, true, false).length), bytes.length];
    return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
  }

  /** Writes one piece of a frame as it is. */
  sendPiece(bytes: Uint8Array, note: string): void {
    this.conn.sendBytes(bytes, note);
  }

  /** A whole message, in fragments of `fragmentSize` bytes when given (Autobahn's sendMessage). */
  sendMessage(payload: Bytes, options: { binary?: boolean; fragmentSize?: number; chop?: number } = {}): void {
    const bytes = bytesOf(payload);
    const opcode = options.binary ? OPCODE.binary : OPCODE.text;
    const size = options.fragmentSize ?? Math.max(1, bytes.length);
    const frames: FrameOptions[] = [];
    for (let at = 0; at === 0 || at < bytes.length; at += size) {
      frames.push({
        opcode: at === 0 ? opcode : OPCODE.continuation,
        fin: at + size >= bytes.length,
        payload: bytes.subarray(at, at + size),
      });
    }
    this.send(frames, { chop: options.chop });
  }

  /**
   * A message compressed with the negotiated permessage-deflate (RFC 7692
   * §6): the whole message (envelope included) deflated, then cut into
   * frames of `fragmentSize` bytes, RSV1 on the first only.
   */
  sendCompressed(payload: Uint8Array, binary: boolean, fragmentSize: number): void {
    const message = this.dialect.frame(payload, binary, true, true);
    const compressed = this.conn.compress(message);
    if (compressed === undefined) throw new Error("sendCompressed: no deflate was negotiated");
    const size = fragmentSize > 0 ? fragmentSize : Math.max(1, compressed.length);
    const frames: FrameSpec[] = [];
    for (let at = 0; at === 0 || at < compressed.length; at += size) {
      frames.push({
        opcode: at === 0 ? (binary ? OPCODE.binary : OPCODE.text) : OPCODE.continuation,
        rsv: at === 0 ? 4 : 0,
        fin: at + size >= compressed.length,
        payload: compressed.subarray(at, at + size),
      });
    }
    this.conn.send(frames, {}, message.length);
  }

  /** A close frame as given (any code, any reason bytes); the first starts the closing handshake. */
  sendClose(code?: number, reason: Bytes = ""): void {
    this.conn.sendClose(code, reason);
  }

  /** Starts the closing handshake if it has not started. */
  close(code = 1000): void {
    if (this.conn.isOpen && !this.conn.closeSent) this.conn.sendClose(code);
  }

  /** Drops the connection after `ms` (at least the patience) if it is still there. */
  killAfter(ms: number): void {
    this.conn.later(Math.max(ms, this.options.patienceMs), () => this.conn.drop(`the case's ${ms} ms were up`));
  }

  /** Starts the closing handshake after `ms` if it has not started. */
  closeAfter(ms: number): void {
    this.conn.later(ms, () => this.close());
  }

  /** Runs `fn` after `ms` while the connection is open (Autobahn's continueLater). */
  later(ms: number, fn: () => void): void {
    this.conn.later(ms, () => this.conn.isOpen && fn());
  }

  /** Records Autobahn's ("timeout", tag): the server was still there when the timer fired. */
  mark(tag: string): void {
    this.conn.events.push({ kind: "timeout", tag });
  }

  /** Takes every message itself instead of recording it (the limits and deflate cases). */
  onMessage(handler: (event: Extract<CaseEvent, { kind: "message" }>) => void): void {
    this.#onMessage = handler;
  }

  settle(verdict: ConformanceVerdict, reason: string): void {
    this.settled = { verdict, reason };
  }

  /** A data frame's payload through the dialect: the envelope on a message's first and last frame. */
  #data(frame: FrameOptions): FrameSpec {
    const payload = bytesOf(frame.payload ?? "");
    if (frame.opcode > OPCODE.binary) return { ...frame, payload };
    if (frame.opcode !== OPCODE.continuation) this.#messageIsBinary = frame.opcode === OPCODE.binary;
    const first = frame.opcode !== OPCODE.continuation;
    const last = frame.fin ?? true;
    return { ...frame, payload: this.dialect.frame(payload, this.#messageIsBinary, first, last) };
  }

  #closeWhenDone(): void {
    if (this.suppressClose || this.closeExpectation.by !== "client" || this.expected.length === 0) return;
    if (sameEvents(this.conn.events, this.expected[0][1])) this.close(this.closeExpectation.codes[0]);
  }
}

export function sameEvents(a: readonly CaseEvent[], b: readonly CaseEvent[]): boolean {
  return a.length === b.length && a.every((e, i) => sameEvent(e, b[i]));
}

function sameEvent(a: CaseEvent, b: CaseEvent): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "timeout") return a.tag === (b as typeof a).tag;
  if (a.kind === "message" && a.binary !== (b as typeof a).binary) return false;
  const x = a.data;
  const y = (b as typeof a).data;
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
