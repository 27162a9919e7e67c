/**
 * @module
 * The HTML report's chart sections: throughput and latency percentiles
 * across levels, the latency distribution at a chosen level, and the
 * degradation per metric. Figures come from `_series.ts`, so they are the
 * ones the tables show; each chart is a `<figure data-chart>` with its SVG.
 */
import { formatNumber } from "./format.ts";
import { distributions, latencySeries, type Levels, type Quantile, QUANTILES, throughputSeries } from "./_series.ts";
import type { Result } from "../model/result.ts";
import { degradationChart, distributionChart } from "./_svg-bars.ts";
import { attrs, esc, legend, lineChart } from "./_svg.ts";

/** p50, p95, p99: light to dark, kept clear of the verdicts' green, yellow and red. */
export const QUANTILE_COLORS: Readonly<Record<Quantile, string>> = Object.freeze({ 50: "#218bff", 95: "#8250df", 99: "#24292f" });
const THROUGHPUT_COLOR = "#0969da";

const figure = (data: Record<string, string>, caption: string, body: string, hidden = false): string =>
  `<figure class="chart-box"${attrs({}, data)}${hidden ? " hidden" : ""}><figcaption>${caption}</figcaption>${body}</figure>`;

const empty = (text: string) => `<p class="empty">${esc(text)}</p>`;

export function throughputSection(result: Levels): string {
  const series = throughputSeries(result);
  const categories = result.levels.map((l) => l.level.name);
  const figures = series.map((s) => {
    const title = `${s.suite} ${s.layer}: ${s.label} across levels`;
    const svg = lineChart({
      title,
      categories,
      valueLabels: true,
      series: [{
        name: s.label,
        color: THROUGHPUT_COLOR,
        points: s.points.map((p) => ({
          x: p.level,
          value: p.value,
          verdict: p.verdict,
          label: formatNumber(p.value),
          data: { level: p.level, suite: s.suite, layer: s.layer, key: s.key },
        })),
      }],
    });
    return figure(
      { chart: "throughput", suite: s.suite, layer: s.layer, key: s.key },
      `<b>${esc(s.suite)}</b> ${esc(s.layer)} · ${esc(s.label)} <span class="unit">${esc(s.unit)}</span>`,
      svg,
    );
  });
  return section(
    "throughput",
    "Throughput across levels",
    esc("The main throughput of each suite and layer; dots take their verdict's color."),
    charts(figures) || empty("No throughput was measured."),
  );
}

export function latencySection(result: Levels): string {
  const categories = result.levels.map((l) => l.level.name);
  const figures = latencySeries(result).map((s) => {
    const series = QUANTILES.map((q) => ({
      name: `p${q}`,
      color: QUANTILE_COLORS[q],
      points: s.points.map((p) => ({
        x: p.level,
        value: p.ms[q],
        verdict: p.verdicts[q],
        label: `${formatNumber(p.ms[q])} ms`,
        data: { level: p.level, suite: s.suite, histogram: s.name, quantile: `p${q}` },
      })),
    }));
    const svg = lineChart({ title: `${s.suite} ${s.label} latency percentiles across levels`, categories, series, valueLabels: false });
    const rows = s.points.map((p) =>
      `<tr><th>${esc(p.level)}</th>${
        QUANTILES.map((q) => `<td${attrs({}, { level: p.level, quantile: `p${q}`, value: p.ms[q] })}>${esc(formatNumber(p.ms[q]))}</td>`)
          .join("")
      }<td>${esc(formatNumber(p.count))}</td></tr>`
    );
    const table = `<table class="chart-data"><thead><tr><th>level</th>${
      QUANTILES.map((q) => `<th>p${q} ms</th>`).join("")
    }<th>samples</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
    return figure(
      { chart: "latency", suite: s.suite, histogram: s.name },
      `<b>${esc(s.suite)}</b> wire · ${esc(s.label)} <span class="unit">ms</span>`,
      svg + legend(series) + table,
    );
  });
  return section(
    "latency",
    "Latency percentiles across levels",
    esc("Recomputed from each level's histogram: p50, p95 and p99 in milliseconds; dots take their verdict's color."),
    charts(figures) || empty("No latency histogram in this result."),
  );
}

/** Every level's distributions are in the page; the chosen one shows, the picker swaps them without a reload. */
export function distributionSection(result: Result, chosen: string): string {
  const all = distributions(result);
  const levels = result.levels.map((l) => l.level.name).filter((name) => all.some((d) => d.level === name));
  if (levels.length === 0) return section("distribution", "Latency distribution", "", empty("No latency histogram in this result."));
  const shown = levels.includes(chosen) ? chosen : levels[levels.length - 1];
  const picker = `<label class="picker">level <select id="distribution-level">${
    levels.map((l) => `<option${l === shown ? " selected" : ""}>${esc(l)}</option>`).join("")
  }</select></label>`;
  const figures = all.map((d) => {
    const markers = QUANTILES.map((q) => ({ name: `p${q}`, ms: d.ms[q], color: QUANTILE_COLORS[q] }));
    const svg = distributionChart(`${d.suite} ${d.label} latency distribution at ${d.level}`, d.bins, markers);
    const caption = `<b>${esc(d.suite)}</b> wire · ${esc(d.label)} at ${esc(d.level)} <span class="unit">ms (log scale) · ${
      esc(formatNumber(d.count))
    } samples</span>`;
    return figure({ chart: "distribution", suite: d.suite, histogram: d.name, level: d.level }, caption, svg, d.level !== shown);
  });
  return section(
    "distribution",
    "Latency distribution",
    `${esc("Share of samples per latency bin at one level, with p50, p95 and p99 marked.")} ${picker}`,
    charts(figures),
  );
}

export function degradationSection(result: Result, table: string, notes: string): string {
  const ds = result.analysis.degradation;
  if (ds.length === 0) return section("degradation", "Degradation", "", notes);
  const bars = ds.map((d) => ({
    label: `${d.suite} ${d.layer} ${d.label}`,
    percent: d.percent,
    verdict: d.verdict,
    data: { suite: d.suite, layer: d.layer, key: d.key },
  }));
  const title = `Degradation from ${ds[0].bottomLevel} to ${ds[0].topLevel}`;
  const chart = figure(
    { chart: "degradation" },
    `${esc(title)} <span class="unit">% of throughput lost; left of zero it improved</span>`,
    degradationChart(title, bars),
  );
  return section("degradation", "Degradation", "", charts([chart]) + table + notes);
}

const charts = (figures: string[]): string => (figures.length ? `<div class="charts">${figures.join("")}</div>` : "");

/** `intro` and `body` are HTML already. */
function section(id: string, heading: string, intro: string, body: string): string {
  return `<section id="${id}"><h2>${esc(heading)}</h2>${intro ? `<p class="intro">${intro}</p>` : ""}${body}</section>`;
}
