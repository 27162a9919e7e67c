/** A report table as HTML, its ✅ ⚠️ ❌ colored as the terminal colors them: for the HTML report and the live dashboard. */
import { MARKS } from "./format.ts";
import type { Verdict } from "../model/result.ts";
import type { Table } from "./_table.ts";
import { esc } from "./_svg.ts";

const MARK_CLASS: Array<[string, Verdict]> = [[MARKS.pass, "pass"], [MARKS.warn, "warn"], [MARKS.fail, "fail"]];

/** Colors ✅ ⚠️ ❌ in escaped text as the terminal does. */
export function colorMarks(html: string): string {
  let out = html;
  for (const [m, v] of MARK_CLASS) out = out.replaceAll(m, `<span class="mark v-${v}">${m}</span>`);
  return out;
}

/** `header` false: no head row, and each row's first cell is its heading. */
export function htmlTable(t: Table | null, className = "", header = true): string {
  if (!t) return "";
  const cell = (tag: string, text: string, i: number) =>
    `<${tag}${t.align?.[i] === "right" ? ` class="num"` : ""}>${colorMarks(esc(text))}</${tag}>`;
  const head = header ? `<thead><tr>${t.header.map((h, i) => cell("th", h, i)).join("")}</tr></thead>` : "";
  const rows = t.rows.map((row) => `<tr>${row.map((c, i) => cell(header || i > 0 ? "td" : "th", c, i)).join("")}</tr>`);
  return `<table${className ? ` class="${className}"` : ""}>${head}<tbody>${rows.join("")}</tbody></table>`;
}
