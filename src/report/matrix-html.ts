/**
 * @module
 * The runtime matrix as one self-contained HTML page, in the result report's
 * style: the run's facts, the winners, a grid per metric (servers down,
 * clients across; an engine row, one line of client runtimes) whose cells
 * carry a bar as long as the cell is close to the leader (1 ÷ ratio), the
 * leader and the cells it did not beat shaded, each cell's rounds and its
 * interval against the leader in its tooltip,
 * then the side-by-side table of every metric. The matrix document is
 * inlined; the page fetches nothing.
 *
 * @example
 * ```ts
 * import { renderMatrixHtml } from "./matrix-html.ts";
 * await writeFile("matrix.html", renderMatrixHtml(matrix));
 * ```
 */
import { CSS } from "./_html-style.ts";
import { esc } from "./_svg.ts";
import type { Table } from "./_table.ts";
import { cellText, facts, leadText, metricGrid, metricName, metricTitle, outcomeText, summaryTable } from "./matrix-text.ts";
import { intervalText, pText } from "./difference-text.ts";
import type { Matrix, MetricComparison } from "../model/matrix-document.ts";

const MATRIX_CSS = `
td.cell { min-width: 150px; }
td.cell .bar { height: 4px; background: #8c959f; border-radius: 2px; margin-top: 2px; }
td.leader { background: #dafbe1; font-weight: 600; } td.leader .bar { background: #1a7f37; }
td.tied { background: #f0fff4; } td.tied .bar { background: #4ac26b; }
td.none { color: var(--muted); }
`;

function table(t: Table, className = ""): string {
  const cell = (tag: string, text: string, i: number) => `<${tag}${t.align?.[i] === "right" ? ` class="num"` : ""}>${esc(text)}</${tag}>`;
  const head = `<thead><tr>${t.header.map((h, i) => cell("th", h, i)).join("")}</tr></thead>`;
  const rows = t.rows.map((row) => `<tr>${row.map((c, i) => cell("td", c, i)).join("")}</tr>`);
  return `<table${className ? ` class="${className}"` : ""}>${head}<tbody>${rows.join("")}</tbody></table>`;
}

function grid(metric: MetricComparison, matrix: Matrix): string {
  const { servers, clients } = matrix.matrix;
  const td = (id: string): string => {
    const c = metric.cells.find((x) => x.pairing === id);
    if (!c) return `<td class="cell none">—</td>`;
    const kind = c.pairing === metric.leader ? "leader" : c.beaten ? "" : "tied";
    const closeness = c.ratio === null ? 0 : 100 / c.ratio;
    const call = c.call ? ` · vs the leader: ${intervalText(c.call)}, p ${pText(c.call)}` : "";
    const title = `rounds: ${c.samples.join(", ")}${call}`;
    return `<td class="num cell ${kind}" title="${esc(title)}">${esc(cellText(c, metric))}<div class="bar" style="width:${
      closeness.toFixed(1)
    }%"></div></td>`;
  };
  const { header, rows } = metricGrid(metric, matrix);
  const ids = metric.by === "client" ? [clients] : servers.map((s) => clients.map((c) => `${s}/${c}`));
  const head = `<thead><tr>${header.map((h, i) => `<th${i ? ` class="num"` : ""}>${esc(h)}</th>`).join("")}</tr></thead>`;
  const body = rows.map((row, i) => `<tr><th>${esc(row[0])}</th>${ids[i].map(td).join("")}</tr>`);
  return `<h3>${esc(metricTitle(metric, matrix))}</h3><table class="grid">${head}<tbody>${body.join("")}</tbody></table>`;
}

/** The matrix without the clients' result documents: still valid against the schema, where `result` is optional. */
function slim(matrix: Matrix): Matrix {
  return { ...matrix, pairings: matrix.pairings.map((p) => ({ ...p, runs: p.runs.map(({ result: _, ...run }) => run) })) };
}

export function renderMatrixHtml(matrix: Matrix): string {
  const winners: Table = {
    header: ["metric", "better", "winner", "lead over the beaten"],
    rows: matrix.metrics.map((m) => [metricName(m, matrix), m.better, outcomeText(m), leadText(m)]),
  };
  const body = [
    `<header><h1>wsstress runtime matrix</h1><p class="intro">Pairings are server/client.</p>`,
    `<ul>${facts(matrix).map((f) => `<li>${esc(f)}</li>`).join("")}</ul></header>`,
    `<section id="winners"><h2>Winners</h2>${table(winners)}</section>`,
    `<section id="grids"><h2>Per metric</h2>${matrix.metrics.map((m) => grid(m, matrix)).join("\n")}</section>`,
    `<section id="side-by-side"><h2>Every metric, side by side</h2>${table(summaryTable(matrix))}</section>`,
  ];
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>wsstress runtime matrix</title><style>${CSS}${MATRIX_CSS}</style></head>`,
    `<body>${body.join("\n")}`,
    // the comparison and every run's usage; the clients' full result documents stay in the JSON file (megabytes of histograms)
    `<script type="application/json" id="wsstress-matrix">${JSON.stringify(slim(matrix)).replace(/</g, "\\u003c")}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
