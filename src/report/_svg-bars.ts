/**
 * @module
 * The HTML report's bar charts, hand-written SVG like `_svg.ts`: a latency
 * distribution on a log axis with its percentiles marked, and the
 * degradation of each throughput metric against the seed's bands.
 */
import { formatNumber, formatPercent } from "./format.ts";
import type { Bin } from "./_series.ts";
import type { Verdict } from "../model/result.ts";
import { attrs, compact, esc, linearTicks, r, VERDICT_COLORS } from "./_svg.ts";

export type Marker = { name: string; ms: number; color: string };

const W = 420;
const H = 230;
const M = { left: 46, right: 14, top: 36, bottom: 30 };

/** 1, 2, 5 × 10^k inside [lo, hi]; only powers of ten when there are plenty. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const t = Number((m * 10 ** e).toPrecision(6));
      if (t >= lo && t <= hi) ticks.push(t);
    }
  }
  const decades = ticks.filter((t) => Math.log10(t) % 1 === 0);
  return decades.length >= 3 ? decades : ticks;
}

/**
 * Share of samples per log-spaced latency bin, with the percentiles drawn as
 * labelled rules (labels staggered so close percentiles stay readable).
 */
export function distributionChart(title: string, bins: readonly Bin[], markers: readonly Marker[]): string {
  const total = bins.reduce((n, b) => n + b.count, 0) || 1;
  const lo = bins[0].fromMs;
  const hi = bins[bins.length - 1].toMs;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (ms: number) => M.left + (pw * Math.log(Math.min(hi, Math.max(lo, ms)) / lo)) / Math.log(hi / lo);
  const maxShare = Math.max(...bins.map((b) => (b.count * 100) / total));
  const ticks = linearTicks(0, maxShare, 4);
  const top = ticks[ticks.length - 1];
  const y = (share: number) => M.top + ph - (ph * share) / top;
  const out = [`<svg class="chart distribution-chart" viewBox="0 0 ${W} ${H}" role="img"${attrs({ "aria-label": title })}>`];
  for (const t of ticks) {
    out.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${r(y(t))}" y2="${r(y(t))}"/>`);
    out.push(`<text class="tick" x="${M.left - 6}" y="${r(y(t) + 4)}" text-anchor="end">${esc(`${compact(t)}%`)}</text>`);
  }
  for (const t of logTicks(lo, hi)) {
    out.push(`<text class="tick" x="${r(x(t))}" y="${H - 10}" text-anchor="middle">${esc(compact(t))}</text>`);
  }
  for (const b of bins) {
    if (b.count === 0) continue;
    const share = (b.count * 100) / total;
    const x0 = x(b.fromMs);
    const width = Math.max(1, x(b.toMs) - x0 - 0.5);
    out.push(
      `<rect class="bar"${
        attrs({ x: r(x0), y: r(y(share)), width: r(width), height: r(Math.max(0.5, y(0) - y(share))) }, { count: b.count })
      }>` +
        `<title>${
          esc(`${formatNumber(b.fromMs)}–${formatNumber(b.toMs)} ms: ${formatNumber(b.count)} samples (${formatNumber(share, 1)}%)`)
        }</title></rect>`,
    );
  }
  // the figures go in a key above the plot: next to their rules they collide whenever percentiles are close
  markers.forEach((m, i) => {
    const mx = r(x(m.ms));
    const kx = M.left + i * 122;
    out.push(`<line class="marker"${attrs({ x1: mx, x2: mx, y1: M.top - 6, y2: r(y(0)), stroke: m.color })}/>`);
    out.push(`<line class="marker"${attrs({ x1: kx, x2: kx + 14, y1: 14, y2: 14, stroke: m.color })}/>`);
    out.push(
      `<text class="marker-label"${attrs({ x: kx + 18, y: 18, style: `fill:${m.color}` }, { quantile: m.name, value: m.ms })}>${
        esc(`${m.name} ${formatNumber(m.ms)} ms`)
      }</text>`,
    );
  });
  out.push("</svg>");
  return out.join("");
}

export type DegradationBar = { label: string; percent: number; verdict: Verdict; data: Record<string, string | number> };

const DW = 640;
const ROW = 22;
const LABEL_W = 250;

/** One horizontal bar per throughput metric; rules at the 10 % and 30 % band edges; left of zero it improved. */
export function degradationChart(title: string, bars: readonly DegradationBar[]): string {
  // an improvement can be any size (deliveries grow with subscribers): the axis stops at -100 % and longer bars are cut there
  const least = Math.max(-100, Math.min(0, ...bars.map((b) => b.percent)));
  const hi = Math.max(35, ...bars.map((b) => b.percent));
  // room left of the lowest bar for its figure
  const lo = least < 0 ? least - (hi - least) * 0.2 : 0;
  const ticks = linearTicks(lo, hi, 6);
  const [t0, t1] = [ticks[0], ticks[ticks.length - 1]];
  const top = 16;
  const h = top + bars.length * ROW + 26;
  const pw = DW - LABEL_W - 60;
  const x = (p: number) => LABEL_W + (pw * (p - t0)) / (t1 - t0);
  const out = [`<svg class="chart degradation-chart" viewBox="0 0 ${DW} ${h}" role="img"${attrs({ "aria-label": title })}>`];
  for (const t of ticks) {
    out.push(`<line class="grid" x1="${r(x(t))}" x2="${r(x(t))}" y1="${top}" y2="${h - 24}"/>`);
    out.push(`<text class="tick" x="${r(x(t))}" y="${h - 8}" text-anchor="middle">${esc(`${compact(t)}%`)}</text>`);
  }
  for (const band of [10, 30]) {
    out.push(`<line class="band"${attrs({ x1: r(x(band)), x2: r(x(band)), y1: top - 6, y2: h - 24 })}/>`);
    out.push(`<text class="tick" x="${r(x(band))}" y="${top - 8}" text-anchor="middle">${band}%</text>`);
  }
  bars.forEach((b, i) => {
    const cy = top + i * ROW + ROW / 2;
    const [a, z] = [x(Math.max(least, Math.min(0, b.percent))), x(Math.max(0, b.percent))];
    const label = b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label;
    out.push(
      `<text class="row-label" x="${LABEL_W - 8}" y="${r(cy + 4)}" text-anchor="end">${esc(label)}<title>${esc(b.label)}</title></text>`,
    );
    out.push(
      `<rect class="bar"${
        attrs({ x: r(a), y: r(cy - 7), width: r(Math.max(1, z - a)), height: 14, fill: VERDICT_COLORS[b.verdict] }, {
          ...b.data,
          value: b.percent,
          verdict: b.verdict,
        })
      }>` +
        `<title>${esc(`${b.label}: ${formatPercent(b.percent)}`)}</title></rect>`,
    );
    const after = b.percent < 0 ? a - 4 : z + 4;
    out.push(
      `<text class="value"${attrs({ x: r(after), y: r(cy + 4), "text-anchor": b.percent < 0 ? "end" : "start" }, { value: b.percent })}>${
        esc(formatPercent(b.percent))
      }</text>`,
    );
  });
  out.push(`<line class="axis" x1="${r(x(0))}" x2="${r(x(0))}" y1="${top - 2}" y2="${h - 24}"/>`);
  out.push("</svg>");
  return out.join("");
}
