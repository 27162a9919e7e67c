/**
 * The payloads of the deflate groups, in the five kinds Autobahn's 12.x
 * uses: readable text, a bitmap, a PDF-like mix of text and already
 * compressed streams, JSON and HTML. Autobahn ships real files (Faust, Lena,
 * a paper); these are generated from a fixed seed instead, the same on every
 * run and runtime, each 256 KiB, with the same kind of redundancy.
 */
import { utf8 } from "./frame-codec.ts";

export type PayloadKind = { id: string; title: string; binary: boolean; data(): Uint8Array };

const SIZE = 256 * 1024;

/** mulberry32: a small seeded generator, so the data never changes */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ("und der die das ist nicht ein ich du mit sich des auf zu dem es den von was so wie er sie wir mir mich mein " +
  "Welt Geist Zeit Himmel Erde Nacht Licht Leben Herz Seele Kraft Natur Wissen Mensch Teufel Gott Faust schon noch nur " +
  "the of and to in that it was for on are as with his they at be this from have or one had by word but what all were").split(" ");

function filled(seed: number, piece: (next: () => number) => string): Uint8Array {
  const next = random(seed);
  let text = "";
  while (text.length < SIZE) text += piece(next);
  return utf8(text).slice(0, SIZE);
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)];

function prose(): Uint8Array {
  return filled(1, (next) => {
    const words = Array.from({ length: 6 + Math.floor(next() * 10) }, () => pick(next, WORDS));
    return `${words.join(" ")}${pick(next, [".", ",", "!", "?", ";"])}${next() < 0.2 ? "\n\n" : " "}`;
  });
}

/** 512 × 512 grey pixels after a 1,078-byte BMP header: smooth shapes plus noise. */
function bitmap(): Uint8Array {
  const next = random(2);
  const out = new Uint8Array(SIZE);
  out.set(utf8("BM"), 0);
  for (let i = 54; i < 1078; i += 4) out.fill((i - 54) >> 2, i, i + 3);
  for (let y = 0; y < 512 && 1078 + y * 512 < SIZE; y++) {
    for (let x = 0; x < 512; x++) {
      const at = 1078 + y * 512 + x;
      if (at >= SIZE) break;
      const shade = 128 + 60 * Math.sin(x / 37) * Math.cos(y / 23) + 40 * Math.sin((x + y) / 91);
      out[at] = Math.max(0, Math.min(255, Math.round(shade + (next() - 0.5) * 24)));
    }
  }
  return out;
}

/** Text objects between streams of noise, as a PDF with compressed streams looks. */
function pdfLike(): Uint8Array {
  const next = random(3);
  const out = new Uint8Array(SIZE);
  let at = 0;
  let object = 1;
  while (at < SIZE) {
    const head = utf8(`${object++} 0 obj\n<< /Length ${2048} /Filter /FlateDecode >>\nstream\n`);
    out.set(head.subarray(0, SIZE - at), at);
    at += head.length;
    for (let i = 0; i < 2048 && at < SIZE; i++) out[at++] = Math.floor(next() * 256);
    const tail = utf8("\nendstream\nendobj\n");
    out.set(tail.subarray(0, Math.max(0, SIZE - at)), at);
    at += tail.length;
  }
  return out;
}

function json(): Uint8Array {
  let id = 0;
  return filled(4, (next) =>
    JSON.stringify({
      id: id++,
      name: `${pick(next, WORDS)} ${pick(next, WORDS)}`,
      active: next() < 0.5,
      score: Math.round(next() * 10000) / 100,
      tags: [pick(next, WORDS), pick(next, WORDS)],
      address: { city: pick(next, WORDS), zip: String(10000 + Math.floor(next() * 89999)) },
    }) + ",\n");
}

function html(): Uint8Array {
  return filled(5, (next) => {
    const words = Array.from({ length: 4 + Math.floor(next() * 12) }, () => pick(next, WORDS)).join(" ");
    const cls = pick(next, ["item", "row", "cell", "title", "note"]);
    return `<div class="${cls}"><span id="s${Math.floor(next() * 999)}">${words}</span><a href="/${pick(next, WORDS)}.html">${
      pick(next, WORDS)
    }</a></div>\n`;
  });
}

const cache = new Map<string, Uint8Array>();
const cached = (id: string, make: () => Uint8Array) => (): Uint8Array => {
  let data = cache.get(id);
  if (data === undefined) cache.set(id, data = make());
  return data;
};

export const PAYLOAD_KINDS: readonly PayloadKind[] = [
  { id: "text", title: "Readable text (binary messages)", binary: true, data: cached("text", prose) },
  { id: "bitmap", title: "A greyscale bitmap (binary)", binary: true, data: cached("bitmap", bitmap) },
  { id: "pdf", title: "A PDF-like mix of text and compressed streams (binary)", binary: true, data: cached("pdf", pdfLike) },
  { id: "json", title: "JSON (text messages)", binary: false, data: cached("json", json) },
  { id: "html", title: "HTML (text messages)", binary: false, data: cached("html", html) },
];

/** The `length` bytes of `data` from `from`, wrapping round its end (as Autobahn reads its files). */
export function sliceRound(data: Uint8Array, from: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length;) {
    const start = (from + at) % data.length;
    const part = Math.min(length - at, data.length - start);
    out.set(data.subarray(start, start + part), at);
    at += part;
  }
  return out;
}
