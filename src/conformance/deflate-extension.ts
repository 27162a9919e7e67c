/**
 * permessage-deflate (RFC 7692) from the client's side: the offers a case
 * makes, the checks on the server's answer (§7.1: one element, each
 * parameter once, values in range, nothing the offer did not allow), and the
 * per-connection codec. The codec runs on fflate, loaded only when a case
 * negotiates deflate; it keeps the LZ77 window across messages unless the
 * answer says no context takeover for that direction.
 * https://www.rfc-editor.org/rfc/rfc7692#section-7
 */
import { concatBytes } from "./frame-codec.ts";

/** One offer: what the client asks of the server's compressor. */
export type DeflateOffer = { serverNoContextTakeover?: boolean; serverMaxWindowBits?: number };

/** What the server's answer settled. */
export type DeflateAgreement = { serverNoContextTakeover: boolean; clientNoContextTakeover: boolean; serverMaxWindowBits: number };

/**
 * The offer as a header element. It never offers client_max_window_bits:
 * the compressor keeps fflate's 32 KiB window, so the server may not shrink it.
 */
export function offerText(offer: DeflateOffer): string {
  const params = ["permessage-deflate"];
  if (offer.serverNoContextTakeover) params.push("server_no_context_takeover");
  if (offer.serverMaxWindowBits !== undefined) params.push(`server_max_window_bits=${offer.serverMaxWindowBits}`);
  return params.join("; ");
}

export type Negotiated = { agreement: DeflateAgreement } | { declined: true } | { problem: string };

/** Reads `Sec-WebSocket-Extensions` from a 101 against the offers made. */
export function readAgreement(header: string | undefined, offers: readonly DeflateOffer[]): Negotiated {
  if (header === undefined || header.trim() === "") return { declined: true };
  const elements = header.split(",").map((e) => e.trim()).filter((e) => e !== "");
  if (elements.length !== 1) {
    return { problem: `the server accepted ${elements.length} extensions ("${header}"); one permessage-deflate was offered` };
  }
  const [name, ...params] = elements[0].split(";").map((p) => p.trim());
  if (name !== "permessage-deflate") return { problem: `the server accepted extension "${name}", which was not offered` };
  const seen = new Set<string>();
  const agreement: DeflateAgreement = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15 };
  for (const param of params) {
    const [key, raw] = param.split("=").map((p) => p.trim());
    const value = raw?.replace(/^"(.*)"$/, "$1");
    if (seen.has(key)) return { problem: `the server's answer repeats ${key}` };
    seen.add(key);
    if (key === "server_no_context_takeover" || key === "client_no_context_takeover") {
      if (value !== undefined) return { problem: `${key} takes no value, the server gave "${value}"` };
      if (key === "server_no_context_takeover") agreement.serverNoContextTakeover = true;
      else agreement.clientNoContextTakeover = true;
    } else if (key === "server_max_window_bits") {
      const bits = Number(value);
      if (!/^\d+$/.test(value ?? "") || bits < 8 || bits > 15) return { problem: `server_max_window_bits="${value ?? ""}" is not 8 to 15` };
      agreement.serverMaxWindowBits = bits;
    } else if (key === "client_max_window_bits") {
      return { problem: "the server set client_max_window_bits, which the offer did not include" };
    } else return { problem: `the server's answer has unknown parameter "${key}"` };
  }
  const fits = offers.some((o) =>
    (!o.serverNoContextTakeover || agreement.serverNoContextTakeover) &&
    (o.serverMaxWindowBits === undefined || agreement.serverMaxWindowBits <= o.serverMaxWindowBits)
  );
  if (!fits) return { problem: `the server's answer "${elements[0]}" fits none of the offers (${offers.map(offerText).join(", ")})` };
  return { agreement };
}

type Fflate = typeof import("fflate");
const TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

/** fflate's stream state: `r` holds the bits of the last, partial output byte (count in the low 3 bits, the byte above). */
type DeflateState = { s: { r?: number } };

/**
 * The message's deflate blocks ended as a sync flush ends, less its
 * 00 00 FF FF (RFC 7692 §7.2.1). fflate 0.8.3's own `flush(true)` writes
 * the empty stored block at a wrong offset whenever the last byte holds
 * bits, which zlib refuses ("invalid stored block lengths"), so the block's
 * header and padding are written here: flush the blocks, then the partial
 * byte with three zero bits (BFINAL 0, BTYPE 00) and padding.
 * `tests/conformance-wire.test.ts` checks the output against zlib.
 */
function syncFlushed(deflate: InstanceType<Fflate["Deflate"]>, out: Uint8Array[]): Uint8Array {
  deflate.flush(false);
  const state = (deflate as unknown as DeflateState).s;
  const r = state.r ?? 0;
  const bits = r & 7;
  state.r = 0;
  out.push(bits === 0 ? Uint8Array.of(0) : bits + 3 <= 8 ? Uint8Array.of(r >> 3) : Uint8Array.of(r >> 3, 0));
  return concatBytes(out);
}

export type DeflateCodec = {
  compress(message: Uint8Array): Uint8Array;
  /** the message a compressed payload holds; throws on a broken stream or one past `maxBytes` */
  decompress(payload: Uint8Array, maxBytes: number): Uint8Array;
};

/** fflate, loaded when a case first offers deflate (its Node build loads node:module, so never at import). */
export type DeflateEngine = Fflate;
export const loadDeflateEngine = (): Promise<DeflateEngine> => import("fflate");

export function deflateCodec(fflate: DeflateEngine, agreement: DeflateAgreement): DeflateCodec {
  let out: Uint8Array[] = [];
  const newDeflate = () => new fflate.Deflate({ level: 1 }, (chunk) => out.push(chunk));
  const newInflate = () => new fflate.Inflate((chunk) => out.push(chunk));
  let deflate = newDeflate();
  let inflate = newInflate();
  return {
    compress(message) {
      if (agreement.clientNoContextTakeover) deflate = newDeflate();
      out = [];
      deflate.push(message);
      return syncFlushed(deflate, out);
    },
    decompress(payload, maxBytes) {
      if (agreement.serverNoContextTakeover) inflate = newInflate();
      out = [];
      inflate.push(payload);
      inflate.push(TAIL);
      const size = out.reduce((n, c) => n + c.length, 0);
      if (size > maxBytes) throw new RangeError(`a message that inflates to ${size} bytes, past the checker's ${maxBytes}`);
      return concatBytes(out);
    },
  };
}
