/**
 * Groups 12 and 13 (Autobahn 12.x and 13.x, permessage-deflate, RFC 7692;
 * opt-in, slow): 1,000 compressed messages per case, each sent once the
 * last came back, of 16 B to 128 KiB, whole or cut into frames of 256 B to
 * 32 KiB. 12.x varies the payload (five kinds) with the plain offer; 13.x
 * varies the offer (context takeover, window bits, a list of three) with
 * JSON. A server that declines deflate gets UNIMPLEMENTED, as in Autobahn;
 * an answer RFC 7692 forbids fails the case. The wire bytes against the
 * payload bytes are reported.
 */
import type { CaseContext } from "./case-context.ts";
import type { CaseDefinition, CaseGroup } from "./case-definition.ts";
import { notAsSent } from "./case-judge.ts";
import { type DeflateOffer, offerText } from "./deflate-extension.ts";
import { PAYLOAD_KINDS, type PayloadKind, sliceRound } from "./deflate-payloads.ts";

/** Autobahn's (payload length, seconds allowed, frame size: 0 for whole) for each case of a section. */
const SIZES: ReadonlyArray<[number, number, number]> = [
  [16, 60, 0],
  [64, 60, 0],
  [256, 120, 0],
  [1024, 240, 0],
  [4096, 480, 0],
  [8192, 480, 0],
  [16384, 480, 0],
  [32768, 480, 0],
  [65536, 480, 0],
  [131072, 480, 0],
  [8192, 480, 256],
  [16384, 480, 256],
  [32768, 480, 256],
  [65536, 480, 256],
  [131072, 480, 256],
  [131072, 480, 1024],
  [131072, 480, 4096],
  [131072, 480, 32768],
];
const COUNT = 1000;

function compressedRoundTrips(c: CaseContext, kind: PayloadKind, length: number, waitMs: number, fragmentSize: number): void {
  const data = kind.data();
  const count = Math.min(COUNT, c.options.messageLimit ?? COUNT);
  let from = 0;
  let back = 0;
  let expected = c.dialect.reply(new Uint8Array(0), kind.binary);
  const started = performance.now();
  const sendNext = (): void => {
    const payload = sliceRound(data, from, length);
    from = (from + length) % data.length;
    expected = c.dialect.reply(payload, kind.binary);
    c.sendCompressed(payload, kind.binary, fragmentSize);
  };
  const missing = (why = ""): void => c.settle("FAILED", `${count - back} of ${count} messages did not come back${why}`);
  c.suppressClose = true;
  c.expectClose({ by: "client", codes: [1000], clean: true });
  missing();
  c.onMessage((m) => {
    const wrong = notAsSent(m, expected, back + 1);
    if (wrong !== undefined) {
      c.settle("FAILED", wrong);
      return c.close();
    }
    back++;
    missing();
    if (back < count) return sendNext();
    c.settle("OK", `all ${count} messages came back exact in ${Math.round(performance.now() - started)} ms`);
    c.close();
  });
  sendNext();
  c.later(waitMs, () => {
    missing(` within ${waitMs / 1000} s`);
    c.close();
  });
}

function deflateCase(
  id: string,
  kind: PayloadKind,
  offers: readonly DeflateOffer[],
  [length, seconds, frames]: [number, number, number],
): CaseDefinition {
  const cut = frames > 0 ? `, cut into frames of ${frames} bytes` : "";
  return {
    id,
    description: `Send ${COUNT} compressed ${kind.binary ? "binary" : "text"} messages of ${length} bytes of ${kind.id}${cut}, ` +
      `each once the last came back; offer ${offers.map(offerText).join(", ")}.`,
    expectation: `Every message comes back exact within ${seconds} s; UNIMPLEMENTED when the server declines deflate.`,
    echo: true,
    deflate: offers,
    limitMs: seconds * 1000 + 10_000,
    script: (c) => compressedRoundTrips(c, kind, length, seconds * 1000, frames),
  };
}

/** A section's row in the docs: the 18 sizes of every section, in words. */
const summary = (what: string) => ({
  sends: `${COUNT} compressed messages of ${what}, one case per size: 16 B to 128 KiB whole, 8 KiB to 128 KiB in frames of 256 B to 32 KiB`,
  expects: "every message comes back exact in time; UNIMPLEMENTED when the server declines the offer",
});

/** 13.x: the offers, from the plain one to a list of three in order of preference. */
const OFFERS: ReadonlyArray<[string, DeflateOffer[]]> = [
  ["the plain offer", [{}]],
  ["server_no_context_takeover", [{ serverNoContextTakeover: true }]],
  ["server_max_window_bits=8", [{ serverMaxWindowBits: 8 }]],
  ["server_max_window_bits=15", [{ serverMaxWindowBits: 15 }]],
  ["server_no_context_takeover with server_max_window_bits=8", [{ serverNoContextTakeover: true, serverMaxWindowBits: 8 }]],
  ["server_no_context_takeover with server_max_window_bits=15", [{ serverNoContextTakeover: true, serverMaxWindowBits: 15 }]],
  ["three offers: no context takeover with 8 bits, no context takeover, plain", [
    { serverNoContextTakeover: true, serverMaxWindowBits: 8 },
    { serverNoContextTakeover: true },
    {},
  ]],
];

const JSON_KIND = PAYLOAD_KINDS.find((k) => k.id === "json")!;

export const DEFLATE_PAYLOADS: CaseGroup = {
  id: "12",
  title: "permessage-deflate: payloads",
  optIn: true,
  sections: PAYLOAD_KINDS.map((kind, i) => ({ id: `12.${i + 1}`, title: kind.title, summary: summary(`${kind.title}, the plain offer`) })),
  cases: PAYLOAD_KINDS.flatMap((kind, k) => SIZES.map((size, i) => deflateCase(`12.${k + 1}.${i + 1}`, kind, [{}], size))),
};

export const DEFLATE_OFFERS: CaseGroup = {
  id: "13",
  title: "permessage-deflate: offers",
  optIn: true,
  sections: OFFERS.map(([title], i) => ({ id: `13.${i + 1}`, title: `JSON, ${title}`, summary: summary(`JSON, ${title}`) })),
  cases: OFFERS.flatMap(([, offers], o) => SIZES.map((size, i) => deflateCase(`13.${o + 1}.${i + 1}`, JSON_KIND, offers, size))),
};
