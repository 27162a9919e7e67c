/**
 * The UTF-8 decoder test sequences behind Autobahn's cases 6.5 to 6.23, from
 * Markus Kuhn's UTF-8-test.txt: valid text, every prefix of a multi-byte
 * string, first and last sequences of each length, boundaries, unexpected
 * continuation bytes, lonely start bytes, truncated sequences, impossible
 * bytes, overlong forms, UTF-16 surrogates, non-characters and specials.
 * Each sequence is valid or not by RFC 3629, which `validUtf8` decides.
 * https://www.cl.cam.ac.uk/~mgk25/ucs/examples/UTF-8-test.txt
 */
import { validUtf8 } from "./utf8-check.ts";

export type Utf8Section = { title: string; sequences: Uint8Array[] };

const b = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const ascii = (text: string): number[] => [...text].map((ch) => ch.charCodeAt(0));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** κόσμε, "world" in Greek: 2- and 3-byte sequences. */
export const KOSME = b(0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5);

const TRUNCATED = [
  [0xc0],
  [0xe0, 0x80],
  [0xf0, 0x80, 0x80],
  [0xf8, 0x80, 0x80, 0x80],
  [0xfc, 0x80, 0x80, 0x80, 0x80],
  [0xdf],
  [0xef, 0xbf],
  [0xf7, 0xbf, 0xbf],
  [0xfb, 0xbf, 0xbf, 0xbf],
  [0xfd, 0xbf, 0xbf, 0xbf, 0xbf],
];

/** Non-characters: U+FFFE, U+FFFF and the last two code points of each plane (valid UTF-8). */
function nonCharacters(): Uint8Array[] {
  const out = [b(0xef, 0xbf, 0xbe), b(0xef, 0xbf, 0xbf)];
  for (const z1 of [0xf0, 0xf1, 0xf2, 0xf3, 0xf4]) {
    for (const z2 of [0x8f, 0x9f, 0xaf, 0xbf]) {
      // F4 9F… and above encode code points past U+10FFFF; F0 8F… is overlong
      if ((z1 === 0xf4 && z2 !== 0x8f) || (z1 === 0xf0 && z2 === 0x8f)) continue;
      for (const z3 of [0xbe, 0xbf]) out.push(b(z1, z2, 0xbf, z3));
    }
  }
  return out;
}

export const UTF8_SECTIONS: readonly Utf8Section[] = [
  {
    title: "Some valid UTF-8 sequences",
    sequences: [
      b(...ascii("hello"), 0x24, ...ascii("world")),
      b(...ascii("hello"), 0xc2, 0xa2, ...ascii("world")),
      b(...ascii("hello"), 0xe2, 0x82, 0xac, ...ascii("world")),
      b(...ascii("hello"), 0xf0, 0xa4, 0xad, 0xa2, ...ascii("world")),
      KOSME,
    ],
  },
  {
    title: "All prefixes of a valid UTF-8 string that contains multi-byte code points",
    sequences: range(1, KOSME.length + 1).map((n) => KOSME.slice(0, n)),
  },
  {
    title: "First possible sequence of a certain length",
    sequences: [b(0x00), b(0xc2, 0x80), b(0xe0, 0xa0, 0x80), b(0xf0, 0x90, 0x80, 0x80)],
  },
  {
    title: "First possible sequence length 5/6 (invalid code points)",
    sequences: [b(0xf8, 0x88, 0x80, 0x80, 0x80), b(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80)],
  },
  {
    title: "Last possible sequence of a certain length",
    sequences: [b(0x7f), b(0xdf, 0xbf), b(0xef, 0xbf, 0xbf), b(0xf4, 0x8f, 0xbf, 0xbf)],
  },
  {
    title: "Last possible sequence length 4/5/6 (invalid code points)",
    sequences: [
      b(0xf7, 0xbf, 0xbf, 0xbf),
      b(0xfb, 0xbf, 0xbf, 0xbf, 0xbf),
      b(0xfd, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf),
    ],
  },
  {
    title: "Other boundary conditions",
    sequences: [
      b(0xed, 0x9f, 0xbf),
      b(0xee, 0x80, 0x80),
      b(0xef, 0xbf, 0xbd),
      b(0xf4, 0x8f, 0xbf, 0xbf),
      b(0xf4, 0x90, 0x80, 0x80),
    ],
  },
  {
    title: "Unexpected continuation bytes",
    sequences: [
      b(0x80),
      b(0xbf),
      b(0x80, 0xbf),
      b(0x80, 0xbf, 0x80),
      b(0x80, 0xbf, 0x80, 0xbf),
      b(0x80, 0xbf, 0x80, 0xbf, 0x80),
      b(0x80, 0xbf, 0x80, 0xbf, 0x80, 0xbf),
      b(...range(0x80, 0xbf)),
    ],
  },
  {
    title: "Lonely start characters",
    sequences: [[0xc0, 0xdf], [0xe0, 0xef], [0xf0, 0xf7], [0xf8, 0xfb], [0xfc, 0xfd]].map(([from, to]) =>
      b(...range(from, to).flatMap((byte) => [byte, 0x20]))
    ),
  },
  { title: "Sequences with last continuation byte missing", sequences: TRUNCATED.map((s) => b(...s)) },
  { title: "Concatenation of incomplete sequences", sequences: [b(...TRUNCATED.flat())] },
  { title: "Impossible bytes", sequences: [b(0xfe), b(0xff), b(0xfe, 0xfe, 0xff, 0xff)] },
  {
    title: "Examples of an overlong ASCII character",
    sequences: [
      b(0xc0, 0xaf),
      b(0xe0, 0x80, 0xaf),
      b(0xf0, 0x80, 0x80, 0xaf),
      b(0xf8, 0x80, 0x80, 0x80, 0xaf),
      b(0xfc, 0x80, 0x80, 0x80, 0x80, 0xaf),
    ],
  },
  {
    title: "Maximum overlong sequences",
    sequences: [
      b(0xc1, 0xbf),
      b(0xe0, 0x9f, 0xbf),
      b(0xf0, 0x8f, 0xbf, 0xbf),
      b(0xf8, 0x87, 0xbf, 0xbf, 0xbf),
      b(0xfc, 0x83, 0xbf, 0xbf, 0xbf, 0xbf),
    ],
  },
  {
    title: "Overlong representation of the NUL character",
    sequences: [
      b(0xc0, 0x80),
      b(0xe0, 0x80, 0x80),
      b(0xf0, 0x80, 0x80, 0x80),
      b(0xf8, 0x80, 0x80, 0x80, 0x80),
      b(0xfc, 0x80, 0x80, 0x80, 0x80, 0x80),
    ],
  },
  {
    title: "Single UTF-16 surrogates",
    sequences: [[0xa0, 0x80], [0xad, 0xbf], [0xae, 0x80], [0xaf, 0xbf], [0xb0, 0x80], [0xbe, 0x80], [0xbf, 0xbf]]
      .map(([x, y]) => b(0xed, x, y)),
  },
  {
    title: "Paired UTF-16 surrogates",
    sequences: [[0xa0, 0x80], [0xad, 0xbf], [0xae, 0x80], [0xaf, 0xbf]].flatMap(([x, y]) =>
      [[0xb0, 0x80], [0xbf, 0xbf]].map(([p, q]) => b(0xed, x, y, 0xed, p, q))
    ),
  },
  { title: "Non-character code points (valid UTF-8)", sequences: nonCharacters() },
  { title: "Unicode specials (i.e. replacement char)", sequences: range(0xb9, 0xc0).map((last) => b(0xef, 0xbf, last)) },
];

export const isValidSequence = validUtf8;
