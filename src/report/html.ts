/**
 * @module
 * The result as one self-contained HTML page: charts of throughput and
 * latency percentiles across levels, the latency distribution at a chosen
 * level, the degradation per metric, then every table the markdown report
 * has. Styles, charts (hand-written SVG) and the result document itself are
 * inlined: the page fetches nothing and opens from disk.
 *
 * @example
 * ```ts
 * import { renderHtml } from "./html.ts";
 * await writeFile("report.html", renderHtml(result, { level: "medium" }));
 * ```
 */
import { mark, MARKS, PLAIN } from "./format.ts";
import { degradationSection, distributionSection, latencySection, throughputSection } from "./_html-charts.ts";
import { CSS, SCRIPT } from "./_html-style.ts";
import { conformanceLoadFailures, conformanceLoadNote, conformanceLoadTable } from "./conformance-load-section.ts";
import type { Result } from "../model/result.ts";
import {
  BANDS_NOTE,
  bottleneckLine,
  degradationTable,
  errorRows,
  levelFacts,
  METRIC_ALIGN,
  METRIC_HEADER,
  metricRows,
  runInfo,
  suiteFootnotes,
  summaryTable,
} from "./_sections.ts";
import { esc } from "./_svg.ts";
import { colorMarks, htmlTable as table } from "./_html-table.ts";

export type HtmlOptions = {
  /** the level whose latency distributions show first (the page can switch); the highest level run by default */
  level?: string;
};

export function renderHtml(result: Result, options: HtmlOptions = {}): string {
  const names = result.levels.map((l) => l.level.name);
  if (options.level !== undefined && !names.includes(options.level)) {
    throw new RangeError(`html(): level "${options.level}" is not in this result; it holds: ${names.join(", ") || "no level"}`);
  }
  const chosen = options.level ?? names[names.length - 1] ?? "";
  const title = `${result.tool.name} report: ${MARKS[result.verdict]} ${result.verdict}`;
  const body = [
    `<header><h1>${esc(result.tool.name)} report <span class="verdict v-${result.verdict}">${
      colorMarks(esc(`${mark(result.verdict)} ${result.verdict}`))
    }</span></h1>`,
    names.length
      ? `<p class="levels">${colorMarks(esc(result.levels.map((l) => `${l.level.name} ${mark(l.verdict)}`).join(" · ")))}</p>`
      : "",
    table({ header: ["run", ""], rows: runInfo(result, PLAIN) }, "info", false),
    "</header>",
    throughputSection(result),
    latencySection(result),
    distributionSection(result, chosen),
    conformanceSection(result),
    degradationSection(result, table(degradationTable(result, PLAIN)), notes(result)),
    `<section id="summary"><h2>Summary across levels</h2>${
      table(summaryTable(result.levels, PLAIN, result.plan)) || `<p class="empty">No headline metrics.</p>`
    }</section>`,
    levelsSection(result),
    recommendationsSection(result),
    errorsSection(result),
  ];
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(title)}</title><style>${CSS}</style></head>`,
    `<body>${body.join("\n")}`,
    // the result itself, for anyone who wants the exact figures from the page
    `<script type="application/json" id="wsstress-result">${JSON.stringify(result).replace(/</g, "\\u003c")}</script>`,
    `<script>${SCRIPT}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}

function notes(result: Result): string {
  const bottleneck = esc(bottleneckLine(result)).replace(/^Bottleneck:/, "<b>Bottleneck:</b>");
  return `<p>${bottleneck}</p><p class="note">${colorMarks(esc(BANDS_NOTE))}</p>`;
}

function levelsSection(result: Result): string {
  const levels = result.levels.map((level) => {
    const suites = level.suites.map((suite) => {
      const rows = metricRows(suite, PLAIN, false, result.plan);
      const metrics = rows.length
        ? table({ header: METRIC_HEADER.slice(1), rows, align: [...METRIC_ALIGN.slice(1)] })
        : suite.status === "skipped"
        ? ""
        : `<p class="empty">No metrics.</p>`;
      const foot = suiteFootnotes(suite).map((n) => `<li${n.kind === "status" ? ` class="v-fail"` : ""}>${esc(n.text)}</li>`);
      return `<h3>${esc(suite.suite)} ${colorMarks(mark(suite.verdict))}</h3>${metrics}${foot.length ? `<ul>${foot.join("")}</ul>` : ""}`;
    });
    const summary = `Level ${esc(level.level.name)} ${colorMarks(mark(level.verdict))} <span class="unit">${esc(levelFacts(level))}</span>`;
    return `<details data-level="${esc(level.level.name)}"><summary>${summary}</summary>${
      suites.join("") || `<p class="empty">No suite ran at this level.</p>`
    }</details>`;
  });
  return `<section id="levels"><h2>Every metric, level by level</h2>${
    levels.join("") || `<p class="empty">No level finished.</p>`
  }</section>`;
}

function conformanceSection(result: Result): string {
  const levels = conformanceLoadTable(result, PLAIN);
  if (!levels) return "";
  const failures = conformanceLoadFailures(result, PLAIN);
  const note = `<p class="note">${esc(conformanceLoadNote(result))}</p>`;
  return `<section id="conformance"><h2>Conformance under load</h2>${note}${table(levels)}${failures ? table(failures) : ""}</section>`;
}

function recommendationsSection(result: Result): string {
  const recs = result.analysis.recommendations.map((r) => `<li>${colorMarks(mark(r.severity))} ${esc(r.text)}</li>`);
  return `<section id="recommendations"><h2>Recommendations</h2>${
    recs.length ? `<ul class="recs">${recs.join("")}</ul>` : `<p class="empty">None.</p>`
  }</section>`;
}

function errorsSection(result: Result): string {
  const rows = errorRows(result);
  const body = rows.length
    ? table({ header: ["level", "suite", "class", "count", "first message"], rows, align: ["left", "left", "left", "right", "left"] })
    : `<p class="empty">None.</p>`;
  return `<section id="errors"><h2>Errors</h2>${body}</section>`;
}
