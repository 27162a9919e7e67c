/**
 * How a server sends messages back, so the cases know what to send and what
 * to expect. `echo` is Autobahn's convention: every message comes back as it
 * came, same type, same bytes. `wsstress` is the reference server: each
 * message travels as an echo request, `{"op":"echo","id":1,"p":"…"}`, whose
 * reply is byte for byte the request (the hub writes it with
 * `JSON.stringify`, which this escaping mirrors), always as a text frame.
 * The envelope wraps the first and last frame of a message, so fragment
 * boundaries and the UTF-8 bytes inside them stay where each case put them.
 */
import { concatBytes, utf8 } from "./frame-codec.ts";

export type EchoProfile = "echo" | "wsstress";

export type EchoDialect = {
  readonly name: EchoProfile;
  /** bytes the envelope adds to a message: a case that tests a length asks for its payload this much shorter */
  readonly overhead: number;
  /** a data frame's payload as sent, given the message's type and the frame's place in it */
  frame(payload: Uint8Array, binary: boolean, first: boolean, last: boolean): Uint8Array;
  /** the message that should come back for a message sent whole */
  reply(payload: Uint8Array, binary: boolean): { binary: boolean; data: Uint8Array };
};

const ECHO: EchoDialect = {
  name: "echo",
  overhead: 0,
  frame: (payload) => payload,
  reply: (payload, binary) => ({ binary, data: payload }),
};

const PREFIX = utf8('{"op":"echo","id":1,"p":"');
const SUFFIX = utf8('"}');
const SHORT_ESCAPES: Record<number, string> = {
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0c: "\\f",
  0x0d: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};
const BASE64 = utf8("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

/**
 * `JSON.stringify`'s escaping, byte by byte: quotes, backslashes and control
 * characters escaped, everything else (any UTF-8, valid or not) as it is, so
 * an invalid sequence still reaches the server's UTF-8 check unchanged.
 */
export function jsonEscape(bytes: Uint8Array): Uint8Array {
  if (!bytes.some((b) => b < 0x20 || b === 0x22 || b === 0x5c)) return bytes;
  const out: number[] = [];
  for (const b of bytes) {
    const short = SHORT_ESCAPES[b];
    if (short !== undefined) out.push(...utf8(short));
    else if (b < 0x20) out.push(...utf8(`\\u00${b.toString(16).padStart(2, "0")}`));
    else out.push(b);
  }
  return Uint8Array.from(out);
}

/** The reference protocol is text: binary bytes become characters of the base64 alphabet, one per byte, so lengths hold. */
const textual = (bytes: Uint8Array): Uint8Array => bytes.map((b) => BASE64[b & 63]);

const WSSTRESS: EchoDialect = {
  name: "wsstress",
  overhead: PREFIX.length + SUFFIX.length,
  frame(payload, binary, first, last) {
    const body = jsonEscape(binary ? textual(payload) : payload);
    return first || last ? concatBytes([first ? PREFIX : new Uint8Array(0), body, last ? SUFFIX : new Uint8Array(0)]) : body;
  },
  reply: (payload, binary) => ({ binary: false, data: WSSTRESS.frame(payload, binary, true, true) }),
};

export const DIALECTS: Record<EchoProfile, EchoDialect> = { echo: ECHO, wsstress: WSSTRESS };
