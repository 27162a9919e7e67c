/**
 * @module
 * A conformance result as one self-contained HTML page: the run, the
 * verdicts by group, every case as a coloured cell (Autobahn's summary grid,
 * each cell's title its reason), then every case that is not OK with its
 * close and the frames both ways. The document is embedded, as in the run's
 * report; the page fetches nothing.
 */
import { type CaseResult, CONFORMANCE_VERDICTS, type ConformanceResult } from "../model/conformance-result.ts";
import { MARKS, PLAIN } from "./format.ts";
import { CSS } from "./_html-style.ts";
import { esc } from "./_svg.ts";
import type { Table } from "./_table.ts";
import { AS_VERDICT, closeText, conformanceInfo, groupTable, groupTitle, notOkCases, verdictText } from "./conformance-tables.ts";

const CASE_CSS = `
.cases { display: flex; flex-wrap: wrap; gap: 3px; margin: 4px 0 14px; }
.case { display: inline-block; min-width: 52px; padding: 1px 5px; border-radius: 4px; font: 12px ui-monospace, monospace;
  text-decoration: none; color: #fff; }
.c-OK { background: #1a7f37; } .c-NON-STRICT { background: #9a6700; } .c-FAILED { background: #cf222e; }
.c-INFORMATIONAL, .c-UNIMPLEMENTED { background: #6e7781; }
table.wire td { font: 12px ui-monospace, monospace; } td.hex { color: var(--muted); word-break: break-all; }
`;

/** `classes`: a class for each column's cells, besides `num` for right-aligned ones. */
function table(t: Table, className = "", classes: readonly string[] = []): string {
  const cell = (tag: string, text: string, i: number) => {
    const cls = [t.align?.[i] === "right" ? "num" : "", classes[i] ?? ""].filter(Boolean).join(" ");
    return `<${tag}${cls ? ` class="${cls}"` : ""}>${esc(text)}</${tag}>`;
  };
  const head = t.header.some((h) => h !== "") ? `<thead><tr>${t.header.map((h, i) => cell("th", h, i)).join("")}</tr></thead>` : "";
  return `<table${className ? ` class="${className}"` : ""}>${head}<tbody>${
    t.rows.map((r) => `<tr>${r.map((c, i) => cell("td", c, i)).join("")}</tr>`).join("")
  }</tbody></table>`;
}

function grid(result: ConformanceResult): string {
  const byGroup = new Map<string, CaseResult[]>();
  for (const c of result.cases) byGroup.set(c.id.split(".")[0], [...(byGroup.get(c.id.split(".")[0]) ?? []), c]);
  return [...byGroup.entries()].map(([id, cases]) => {
    const cells = cases.map((c) => {
      const link = c.verdict === "OK" ? "" : ` href="#case-${esc(c.id)}"`;
      return `<a class="case c-${c.verdict}"${link} title="${esc(`${c.id} ${c.verdict}: ${c.reason}`)}">${esc(c.id)}</a>`;
    });
    return `<h3>${esc(id)} ${esc(groupTitle(id))}</h3><div class="cases">${cells.join("")}</div>`;
  }).join("");
}

function detail(c: CaseResult): string {
  const wire = (c.wire ?? []).map((
    e,
  ) => [`${e.atMs} ms`, e.dir === "sent" ? "→" : e.dir === "received" ? "←" : "·", e.note, e.hex ? `${e.bytes} B: ${e.hex}` : ""]);
  return [
    `<details id="case-${esc(c.id)}"${c.verdict === "FAILED" ? " open" : ""}><summary><b>${esc(c.id)}</b> <span class="v-${
      AS_VERDICT[c.verdict]
    }">${esc(verdictText(c.verdict, PLAIN))}</span> ${esc(c.description)}</summary>`,
    `<p><b>Expected:</b> ${esc(c.expectation)}<br><b>Why:</b> ${esc(c.reason)}<br><b>Close:</b> ${esc(closeText(c))}${
      c.close ? ` (${esc(c.close.text)})` : ""
    }</p>`,
    wire.length ? table({ header: ["at", "", "frame or event", "bytes"], rows: wire }, "wire", ["", "", "", "hex"]) : "",
    "</details>",
  ].join("");
}

export function renderConformanceHtml(result: ConformanceResult): string {
  const title = `wsstress conformance: ${MARKS[AS_VERDICT[result.verdict]]} ${result.verdict}`;
  const counts = CONFORMANCE_VERDICTS.filter((v) => result.counts[v] > 0).map((v) => `${result.counts[v]} ${v}`).join(" · ");
  const notOk = notOkCases(result);
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(title)}</title><style>${CSS}${CASE_CSS}</style></head><body>`,
    `<header><h1>WebSocket conformance <span class="verdict v-${AS_VERDICT[result.verdict]}">${
      esc(verdictText(result.verdict, PLAIN))
    }</span></h1>`,
    `<p class="levels">${esc(counts)}</p>`,
    table({ header: ["", ""], rows: conformanceInfo(result) }, "info"),
    "</header>",
    `<section id="groups"><h2>Verdicts by group</h2>${table(groupTable(result, PLAIN))}</section>`,
    `<section id="cases"><h2>Every case</h2>${grid(result)}</section>`,
    `<section id="not-ok"><h2>Cases that are not OK (${notOk.length})</h2>${
      notOk.map(detail).join("") || `<p class="empty">None: every case passed strictly.</p>`
    }</section>`,
    `<script type="application/json" id="wsstress-conformance">${JSON.stringify(result).replace(/</g, "\\u003c")}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
