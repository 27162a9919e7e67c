/**
 * @module
 * Column layout by display width, shared by the terminal and markdown
 * renderers. String length is the wrong measure: ANSI escapes take no
 * columns, ✅ and ❌ take two, and ⚠️ is a one-column sign made two-column
 * (emoji) by the variation selector U+FE0F that follows it.
 */

export type Align = "left" | "right";

// deno-lint-ignore no-control-regex -- an ANSI escape starts with ESC: matching it is the point
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

// Wide code points: East Asian wide/fullwidth blocks and emoji shown as emoji by default.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f2ff],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f900, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

function isWide(cp: number): boolean {
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return true;
  return false;
}

function isZeroWidth(cp: number): boolean {
  return (
    cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
    (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f)
  );
}

/** Terminal columns `text` occupies. */
export function displayWidth(text: string): number {
  let width = 0;
  let last = 0;
  for (const ch of text.replace(ANSI_ESCAPE, "")) {
    const cp = ch.codePointAt(0)!;
    // VS16 asks for emoji presentation: a narrow sign before it becomes two columns
    if (cp === 0xfe0f) {
      if (last === 1) width += 1;
      last = 0;
      continue;
    }
    last = isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
    width += last;
  }
  return width;
}

export function pad(text: string, width: number, align: Align = "left"): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? fill + text : text + fill;
}

export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))));
  return widths;
}

export type Table = { header: string[]; rows: string[][]; align?: Align[] };

/**
 * Plain aligned columns, two spaces apart: one line for the header, one rule,
 * then one line per row (returned apart, so a caller can put lines between rows).
 */
export function layoutText(table: Table, rule = "─"): { head: string[]; rows: string[] } {
  const widths = columnWidths([table.header, ...table.rows]);
  const line = (cells: readonly string[]) => cells.map((c, i) => pad(c, widths[i], table.align?.[i])).join("  ").trimEnd();
  return {
    head: [line(table.header), widths.map((w) => rule.repeat(w)).join("  ")],
    rows: table.rows.map(line),
  };
}

/** A GitHub table, padded so it reads as well in plain text as rendered. */
export function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|");
  const header = table.header.map(escape);
  const rows = table.rows.map((r) => r.map(escape));
  const widths = columnWidths([header, ...rows]).map((w) => Math.max(3, w));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => pad(c, widths[i], table.align?.[i])).join(" | ")} |`;
  const rule = widths.map((w, i) => (table.align?.[i] === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w)));
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}

/** Word-wraps `text` to `width` columns; continuation lines start with `indent`. */
export function wrap(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && displayWidth(candidate) > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}
