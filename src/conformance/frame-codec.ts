/**
 * RFC 6455 §5.2 frames as a conformance client writes and reads them: any
 * frame at all on the way out (reserved bits, reserved opcodes, a control
 * frame too long, a lying length), and every server frame parsed as it came,
 * masked or not, so the checks can say what was wrong with it.
 * https://www.rfc-editor.org/rfc/rfc6455#section-5.2
 */

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

const NAMES: Record<number, string> = { 0: "CONT", 1: "TEXT", 2: "BINARY", 8: "CLOSE", 9: "PING", 10: "PONG" };
export const opcodeName = (opcode: number): string => NAMES[opcode] ?? `OPCODE ${opcode}`;
export const isControl = (opcode: number): boolean => opcode >= 8;

export type FrameSpec = {
  opcode: number;
  payload?: Uint8Array;
  /** true when absent */
  fin?: boolean;
  /** the three reserved bits as a number 0–7 (RSV1 is 4) */
  rsv?: number;
  /** a client masks every frame (true when absent); false sends the payload in the clear */
  mask?: boolean;
};

const encoder = new TextEncoder();
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** `pattern` repeated to exactly `length` bytes (Autobahn's `payload_len`). */
export function repeatTo(pattern: Uint8Array | string, length: number): Uint8Array {
  const unit = typeof pattern === "string" ? utf8(pattern) : pattern;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += unit.length) out.set(unit.subarray(0, Math.min(unit.length, length - i)), i);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The frame's bytes: header, mask key and masked payload. */
export function encodeFrame(spec: FrameSpec): Uint8Array {
  const payload = spec.payload ?? new Uint8Array(0);
  const mask = spec.mask ?? true;
  const length = payload.length;
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const out = new Uint8Array(2 + extended + (mask ? 4 : 0) + length);
  out[0] = ((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) & 7) << 4 | (spec.opcode & 0x0f);
  out[1] = (mask ? 0x80 : 0) | (extended === 0 ? length : extended === 2 ? 126 : 127);
  const view = new DataView(out.buffer);
  if (extended === 2) view.setUint16(2, length);
  if (extended === 8) view.setBigUint64(2, BigInt(length));
  let at = 2 + extended;
  if (!mask) {
    out.set(payload, at);
    return out;
  }
  const key = crypto.getRandomValues(new Uint8Array(4));
  out.set(key, at);
  at += 4;
  for (let i = 0; i < length; i++) out[at + i] = payload[i] ^ key[i & 3];
  return out;
}

/** A close frame's payload: the code (none when undefined) and the reason, as given (raw bytes allowed). */
export function closePayload(code?: number, reason: Uint8Array | string = ""): Uint8Array {
  if (code === undefined) return new Uint8Array(0);
  const text = typeof reason === "string" ? utf8(reason) : reason;
  const out = new Uint8Array(2 + text.length);
  new DataView(out.buffer).setUint16(0, code);
  out.set(text, 2);
  return out;
}

/** One frame as the server sent it, unmasked. */
export type Frame = { fin: boolean; rsv: number; opcode: number; masked: boolean; payload: Uint8Array };

/**
 * Splits the server's byte stream into frames. Chunks are kept as they came
 * and joined once per frame, so a 16 MiB message arriving in 64 KiB reads
 * is copied once, not once per read. A frame claiming more than `maxBytes`
 * is an error: the checker never buffers what it was not built to hold.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = [];
  #length = 0;
  readonly #maxBytes: number;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Uint8Array): Frame[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#length += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  #next(): Frame | undefined {
    if (this.#length < 2) return undefined;
    const head = this.#peek(Math.min(this.#length, 14));
    const masked = (head[1] & 0x80) !== 0;
    let length = head[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (head.length < 4) return undefined;
      length = (head[2] << 8) | head[3];
      offset = 4;
    } else if (length === 127) {
      if (head.length < 10) return undefined;
      const big = new DataView(head.buffer, head.byteOffset + 2, 8).getBigUint64(0);
      if (big > BigInt(this.#maxBytes)) throw new RangeError(`a frame of ${big} bytes, past the checker's ${this.#maxBytes}`);
      length = Number(big);
      offset = 10;
    }
    if (length > this.#maxBytes) throw new RangeError(`a frame of ${length} bytes, past the checker's ${this.#maxBytes}`);
    const total = offset + (masked ? 4 : 0) + length;
    if (this.#length < total) return undefined;
    const bytes = this.#take(total);
    const payload = bytes.subarray(total - length);
    if (masked) {
      const key = bytes.subarray(offset, offset + 4);
      for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
    }
    return { fin: (bytes[0] & 0x80) !== 0, rsv: (bytes[0] >> 4) & 7, opcode: bytes[0] & 0x0f, masked, payload };
  }

  /** the first `n` bytes, without consuming them */
  #peek(n: number): Uint8Array {
    if (this.#chunks[0].length >= n) return this.#chunks[0].subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const chunk of this.#chunks) {
      if (at === n) break;
      const part = Math.min(chunk.length, n - at);
      out.set(chunk.subarray(0, part), at);
      at += part;
    }
    return out;
  }

  /** the first `n` bytes, consumed, as one array of their own */
  #take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    let used = 0;
    while (at < n) {
      const chunk = this.#chunks[used];
      const part = Math.min(chunk.length, n - at);
      out.set(chunk.subarray(0, part), at);
      at += part;
      if (part === chunk.length) used++;
      else this.#chunks[used] = chunk.subarray(part);
    }
    // one splice for every chunk used up: shifting them one by one is quadratic in the chunks of a big frame
    this.#chunks.splice(0, used);
    this.#length -= n;
    return out;
  }
}
