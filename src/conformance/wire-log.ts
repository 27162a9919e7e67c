/**
 * What a case sent and received, in order, for the report of any case that
 * is not OK: the handshake, every frame both ways (header, length, the first
 * bytes in hex and as text where they are printable) and what happened to
 * the TCP connection. Bounded: a 16 MiB message is one line of 48 bytes.
 */
import { opcodeName } from "./frame-codec.ts";

export type WireEntry = {
  /** ms since the case started */
  atMs: number;
  dir: "sent" | "received" | "event";
  /** a frame, a handshake, or what happened */
  note: string;
  /** the bytes' length on the wire (0 for an event) */
  bytes: number;
  /** the first bytes in hex, "…" when there were more */
  hex: string;
};

const SHOWN_BYTES = 48;
const MAX_ENTRIES = 240;

export function hexOf(bytes: Uint8Array, shown = SHOWN_BYTES): string {
  let out = "";
  for (let i = 0; i < Math.min(bytes.length, shown); i++) out += bytes[i].toString(16).padStart(2, "0");
  return bytes.length > shown ? `${out}…` : out;
}

const lenient = new TextDecoder("utf-8", { fatal: false });

/** The first bytes as text, when they look like text, in quotes; else nothing. */
export function textOf(bytes: Uint8Array, shown = 40): string {
  if (bytes.length === 0) return "";
  const head = bytes.subarray(0, shown);
  // control characters (but tab and newlines) or undecodable bytes: not text
  if (head.some((b) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return "";
  const text = lenient.decode(head);
  if (text.includes("\ufffd")) return "";
  return ` "${text}${bytes.length > shown ? "…" : ""}"`;
}

/** `TEXT fin len=13 "Hello, world!"`, `CLOSE fin len=2 code=1000`, with rsv and mask where set. */
export function frameNote(frame: { fin: boolean; rsv: number; opcode: number; masked?: boolean; payload: Uint8Array }): string {
  const flags = [opcodeName(frame.opcode), frame.fin ? "fin" : "no-fin"];
  if (frame.rsv !== 0) flags.push(`rsv=${frame.rsv}`);
  if (frame.masked === false) flags.push("unmasked");
  flags.push(`len=${frame.payload.length}`);
  if (frame.opcode === 8 && frame.payload.length >= 2) {
    const code = (frame.payload[0] << 8) | frame.payload[1];
    return `${flags.join(" ")} code=${code}${textOf(frame.payload.subarray(2))}`;
  }
  return flags.join(" ") + textOf(frame.payload);
}

export class WireLog {
  readonly #started = performance.now();
  readonly entries: WireEntry[] = [];
  #omitted = 0;

  add(dir: WireEntry["dir"], note: string, bytes?: Uint8Array): void {
    if (this.entries.length >= MAX_ENTRIES) {
      this.#omitted++;
      return;
    }
    const atMs = Math.round((performance.now() - this.#started) * 10) / 10;
    this.entries.push({ atMs, dir, note, bytes: bytes?.length ?? 0, hex: bytes ? hexOf(bytes) : "" });
  }

  /** the entries, with a last line saying how many more there were */
  final(): WireEntry[] {
    if (this.#omitted === 0) return this.entries;
    const atMs = this.entries[this.entries.length - 1]?.atMs ?? 0;
    return [...this.entries, { atMs, dir: "event", note: `${this.#omitted} more entries not kept`, bytes: 0, hex: "" }];
  }
}
