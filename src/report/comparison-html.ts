/**
 * @module
 * A comparison of runs as one self-contained HTML page, in the result
 * report's style: the summary, the runs on each side, the rule and what the
 * runs cannot tell, then a row per metric with an interval chart: the
 * tolerance band shaded around zero, the change's confidence interval as a
 * bar in the call's colour and the estimate as a dot, all on one axis from
 * −100 % to +1,000 % (a signed logarithm, so ±10 % and ×5 both read). The
 * comparison document is inlined; the page fetches nothing.
 *
 * @example
 * ```ts
 * import { renderComparisonHtml } from "./comparison-html.ts";
 * await writeFile("compare.html", renderComparisonHtml(compareResults(baselines, currents)));
 * ```
 */
import type { Comparison, ComparisonRow } from "../model/comparison-document.ts";
import { CSS } from "./_html-style.ts";
import { attrs, esc, r, VERDICT_COLORS } from "./_svg.ts";
import { CHANGE_TEXT, comparisonNotes, comparisonSummary } from "./comparison-render.ts";
import { changeText, intervalText, pText, spreadText } from "./difference-text.ts";
import { formatParts } from "./format.ts";

const WIDTH = 220;
const HEIGHT = 18;
/** A signed logarithm of a percent change: ±10 % and +500 % both get room. */
const scale = (percent: number): number => Math.sign(percent) * Math.log10(1 + Math.abs(percent) / 10);
const [LOW, HIGH] = [scale(-100), scale(1000)];
const x = (percent: number): number => ((Math.min(HIGH, Math.max(LOW, scale(percent))) - LOW) / (HIGH - LOW)) * WIDTH;

const COLOR: Record<ComparisonRow["change"], string> = {
  improved: VERDICT_COLORS.pass,
  regressed: VERDICT_COLORS.fail,
  same: VERDICT_COLORS.none,
  "not-gated": "#8c959f",
  unjudged: "#8c959f",
};

/** The interval against the tolerance band, for one row. */
function intervalChart(row: ComparisonRow): string {
  const { call } = row;
  const t = call.tolerancePercent;
  const parts = [
    `<rect x="${r(x(-t))}" y="2" width="${r(x(t) - x(-t))}" height="${HEIGHT - 4}" fill="#eaeef2"><title>tolerance ±${t}%</title></rect>`,
    `<line x1="${r(x(0))}" x2="${r(x(0))}" y1="0" y2="${HEIGHT}" class="axis"/>`,
  ];
  if (call.interval) {
    const [lo, hi] = call.interval;
    parts.push(
      `<rect x="${r(x(lo))}" y="${HEIGHT / 2 - 3}" width="${r(Math.max(1, x(hi) - x(lo)))}" height="6" rx="2" fill="${COLOR[row.change]}"` +
        `${attrs({}, { lo, hi })}><title>${esc(intervalText(call))}</title></rect>`,
    );
  }
  if (call.changePercent !== null) {
    parts.push(
      `<circle cx="${r(x(call.changePercent))}" cy="${HEIGHT / 2}" r="3.5" fill="#fff" stroke="${COLOR[row.change]}" stroke-width="2"` +
        `${attrs({}, { change: call.changePercent })}><title>${esc(changeText(call))}</title></circle>`,
    );
  }
  return `<svg class="interval" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">${parts.join("")}</svg>`;
}

function figure(value: number, runs: readonly number[], unit: string): string {
  const parts = formatParts(value, unit);
  return `${parts.number}${parts.unit ? ` ${parts.unit}` : ""}${runs.length > 1 ? ` (${runs.length})` : ""}`;
}

function row(rw: ComparisonRow): string {
  const title = `baseline runs: ${rw.baselineRuns.join(", ")}; current runs: ${rw.currentRuns.join(", ")}`;
  const cells = [
    `<td>${esc(rw.level)}</td><td>${esc(rw.suite)}</td><td>${esc(rw.layer)}</td><td title="${esc(title)}">${esc(rw.label)}</td>`,
    `<td class="num">${esc(figure(rw.baseline, rw.baselineRuns, rw.unit))}</td>`,
    `<td class="num">${esc(figure(rw.current, rw.currentRuns, rw.unit))}</td>`,
    `<td class="num">${esc(spreadText(rw.call))}</td><td class="num">${esc(changeText(rw.call))}</td>`,
    `<td>${intervalChart(rw)}</td><td class="num">${esc(intervalText(rw.call))}</td>`,
    `<td class="num">${esc(pText(rw.call))}</td><td class="call" style="color:${COLOR[rw.change]}">${esc(CHANGE_TEXT[rw.change])}</td>`,
  ];
  return `<tr data-id="${esc(`${rw.level}.${rw.suite}.${rw.layer}.${rw.key}`)}" data-change="${rw.change}">${cells.join("")}</tr>`;
}

function runsList(c: Comparison): string {
  const side = (name: string, runs: Comparison["baselines"]) =>
    runs.map((run, i) => {
      const label = `${name} ${runs.length > 1 ? i + 1 : ""}`.trim();
      const facts = [run.file, run.startedAt, run.runtime, `server ${run.server}`, run.status].filter(Boolean).join(" · ");
      return `<li>${esc(label)}: ${esc(facts)}</li>`;
    });
  return `<ul>${[...side("baseline", c.baselines), ...side("current", c.currents)].join("")}</ul>`;
}

export function renderComparisonHtml(c: Comparison): string {
  const mark = c.regressed > 0 ? "❌" : "✅";
  const notes = comparisonNotes(c);
  const head = [
    "level",
    "suite",
    "layer",
    "metric",
    "baseline",
    "current",
    "spread",
    "change",
    "interval (−100 % … +1,000 %)",
    `${c.rule.confidence * 100}% interval`,
    "p",
    "call",
  ];
  const body = [
    `<header><h1>wsstress compare <span class="verdict">${esc(`${mark} ${comparisonSummary(c)}`)}</span></h1>${runsList(c)}</header>`,
    `<section id="notes"><ul>${notes.map((n) => `<li class="note">${esc(n)}</li>`).join("")}</ul></section>`,
    `<section id="rows"><h2>Every metric</h2><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>`,
    `<tbody>${c.rows.map(row).join("")}</tbody></table></section>`,
  ];
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>wsstress compare: ${esc(mark)}</title><style>${CSS}svg.interval { display: block; }</style></head>`,
    `<body>${body.join("\n")}`,
    `<script type="application/json" id="wsstress-comparison">${JSON.stringify(c).replace(/</g, "\\u003c")}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
