/**
 * @module
 * SVG drawn by hand for the HTML report: no chart library to inline, no
 * script to run, nothing to fetch, so the page opens from disk, prints, and
 * shows the same pictures whatever the browser. Every mark carries its exact
 * figure in `data-value` and a `<title>` tooltip; this file holds the shared
 * pieces and the line chart (`_svg-bars.ts` the bar charts).
 */
import { formatNumber } from "./format.ts";
import type { Verdict } from "../model/result.ts";

/** The terminal's green, yellow and red, dark enough to read on white. */
export const VERDICT_COLORS: Readonly<Record<Verdict, string>> = Object.freeze({
  pass: "#1a7f37",
  warn: "#b08800",
  fail: "#cf222e",
  none: "#57606a",
});

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** `key="value"` pairs, escaped; `data` keys become `data-*` attributes. */
export function attrs(values: Record<string, string | number | undefined>, data: Record<string, string | number> = {}): string {
  const pairs = Object.entries(values).filter(([, v]) => v !== undefined);
  pairs.push(...Object.entries(data).map(([k, v]) => [`data-${k}`, v] as [string, string | number]));
  return pairs.map(([k, v]) => ` ${k}="${esc(String(v))}"`).join("");
}

/** Rounded for coordinates: short files, no float noise. */
export const r = (n: number): string => String(Math.round(n * 10) / 10);

/** Ticks at 1, 2 or 5 × 10^k from `lo` to at least `hi`, about `count` of them. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t < hi + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Tick labels: 1.5M, 250k, 12, 0.05. */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${formatNumber(n / 1e9, abs % 1e9 === 0 ? 0 : 1)}G`;
  if (abs >= 1e6) return `${formatNumber(n / 1e6, abs % 1e6 === 0 ? 0 : 1)}M`;
  if (abs >= 1e4) return `${formatNumber(n / 1e3, abs % 1e3 === 0 ? 0 : 1)}k`;
  // 0.5, not 0.500: a tick is a round number
  return formatNumber(n).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

export type LinePoint = { x: string; value: number; verdict: Verdict; label: string; data: Record<string, string | number> };
export type LineSeries = { name: string; color: string; points: LinePoint[] };

export type LineChartSpec = {
  /** accessible name of the picture */
  title: string;
  /** the x axis: level names, lowest load first */
  categories: string[];
  series: LineSeries[];
  /** print each point's figure beside it (one series: room enough) */
  valueLabels: boolean;
  /** at most this many labels on the x axis, evenly spread (a time axis has hundreds of categories); every one when absent */
  xLabels?: number;
  /** a dot per figure, in its verdict's color (default); a dense time series draws its lines alone */
  dots?: boolean;
};

const W = 420;
const H = 230;
const M = { left: 54, right: 14, top: 22, bottom: 30 };

/**
 * Values across levels: one polyline per series, a dot per figure filled
 * with its verdict's color, y from zero so heights compare honestly.
 */
export function lineChart(spec: LineChartSpec): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const max = Math.max(0, ...spec.series.flatMap((s) => s.points.map((p) => p.value)));
  const ticks = linearTicks(0, max > 0 ? max : 1);
  const top = ticks[ticks.length - 1];
  const n = spec.categories.length;
  // a time axis has hundreds of categories: looked up, not searched, per point
  const index = new Map<string, number>();
  spec.categories.forEach((c, i) => index.has(c) || index.set(c, i));
  const x = (category: string) => M.left + (pw * ((index.get(category) ?? -1) + 0.5)) / n;
  const y = (v: number) => M.top + ph - (ph * v) / top;
  const out = [`<svg class="chart line-chart" viewBox="0 0 ${W} ${H}" role="img"${attrs({ "aria-label": spec.title })}>`];
  for (const t of ticks) {
    out.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${r(y(t))}" y2="${r(y(t))}"/>`);
    out.push(`<text class="tick" x="${M.left - 6}" y="${r(y(t) + 4)}" text-anchor="end">${esc(compact(t))}</text>`);
  }
  const every = spec.xLabels ? Math.max(1, Math.ceil(n / spec.xLabels)) : 1;
  spec.categories.forEach((c, i) => {
    if (i % every === 0) out.push(`<text class="tick" x="${r(x(c))}" y="${H - 10}" text-anchor="middle">${esc(c)}</text>`);
  });
  for (const s of spec.series) {
    const coords = s.points.map((p) => `${r(x(p.x))},${r(y(p.value))}`).join(" ");
    if (s.points.length > 1) out.push(`<polyline class="line"${attrs({ points: coords, stroke: s.color })}/>`);
    if (spec.dots === false) continue;
    for (const p of s.points) {
      const fill = p.verdict === "none" ? s.color : VERDICT_COLORS[p.verdict];
      out.push(
        `<circle class="point"${
          attrs({ cx: r(x(p.x)), cy: r(y(p.value)), r: 4.5, fill, stroke: s.color }, { ...p.data, value: p.value, verdict: p.verdict })
        }>` +
          `<title>${esc(`${s.name} at ${p.x}: ${p.label}`)}</title></circle>`,
      );
      if (spec.valueLabels) {
        out.push(
          `<text class="value"${attrs({ x: r(x(p.x)), y: r(y(p.value) - 9), "text-anchor": "middle" }, { value: p.value })}>${
            esc(p.label)
          }</text>`,
        );
      }
    }
  }
  out.push("</svg>");
  return out.join("");
}

/** A legend for a multi-series chart, in HTML so it wraps with the page. */
export function legend(series: ReadonlyArray<{ name: string; color: string }>): string {
  return `<ul class="legend">${
    series.map((s) => `<li><span class="swatch" style="background:${esc(s.color)}"></span>${esc(s.name)}</li>`).join("")
  }</ul>`;
}
