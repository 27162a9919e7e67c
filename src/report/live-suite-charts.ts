/**
 * The live dashboard's charts of one suite while it runs, drawn with the HTML
 * report's own line chart (`_svg.ts`): its rate, the percentiles of its
 * running histogram, the sockets open, the errors so far and the load
 * generator's own load, each over the seconds since the suite started. Each
 * figure says its latest value and how many samples it holds in `data-*`, so
 * what the page shows can be read back exactly.
 */
import type { SuiteName } from "../model/result.ts";
import type { LiveLatency, SuiteProgress } from "../model/suite-progress.ts";
import { formatNumber } from "./format.ts";
import { QUANTILE_COLORS } from "./_html-charts.ts";
import { attrs, esc, legend, lineChart, type LineSeries } from "./_svg.ts";

/** One reading of a suite's progress, as the charts keep it. */
export type LiveSample = {
  /** since the suite started */
  atMs: number;
  phase: string;
  done: number;
  perSecond: number;
  latencyMs?: LiveLatency;
  sockets: number;
  errors: number;
  cpuPct: number;
  lagMs: number;
};

export const sampleOf = (p: SuiteProgress): LiveSample => ({
  atMs: p.elapsedMs,
  phase: p.phase,
  done: p.done,
  perSecond: p.perSecond,
  ...(p.latencyMs ? { latencyMs: p.latencyMs } : {}),
  sockets: p.sockets,
  errors: p.errors,
  cpuPct: p.generator.cpuPct,
  lagMs: p.generator.lagMs,
});

const RATE = "#0969da";
const SOCKETS = "#1a7f37";
const ERRORS = "#cf222e";
const CPU = "#8250df";
const LAG = "#bc4c00";

type Line = { name: string; color: string; value: (s: LiveSample) => number | undefined };
type Chart = { chart: string; caption: string; unit: string; lines: Line[] };

const CHARTS: readonly Chart[] = [
  { chart: "live-rate", caption: "rate", unit: "per second", lines: [{ name: "per second", color: RATE, value: (s) => s.perSecond }] },
  {
    chart: "live-latency",
    caption: "latency percentiles, running histogram",
    unit: "ms",
    lines: ([50, 95, 99] as const).map((q) => ({
      name: `p${q}`,
      color: QUANTILE_COLORS[q],
      value: (s: LiveSample) => s.latencyMs?.[`p${q}`],
    })),
  },
  { chart: "live-sockets", caption: "live sockets", unit: "open", lines: [{ name: "open", color: SOCKETS, value: (s) => s.sockets }] },
  { chart: "live-errors", caption: "errors so far", unit: "count", lines: [{ name: "errors", color: ERRORS, value: (s) => s.errors }] },
  {
    chart: "live-generator",
    caption: "load generator",
    unit: "% of a core · ms",
    lines: [{ name: "CPU % of a core (busiest process)", color: CPU, value: (s) => s.cpuPct }, {
      name: "event-loop lag ms",
      color: LAG,
      value: (s) => s.lagMs,
    }],
  },
];

/** `12.5 s`: unique per sample, as the chart's categories must be */
const at = (s: LiveSample): string => `${(s.atMs / 1000).toFixed(1)} s`;

/** The five charts of one suite at one level. */
export function liveCharts(suite: SuiteName, level: string, samples: readonly LiveSample[]): string {
  const categories = samples.map(at);
  return CHARTS.map((c) => {
    const series: LineSeries[] = c.lines.map((line) => ({
      name: line.name,
      color: line.color,
      points: samples.flatMap((s, i) => {
        const value = line.value(s);
        // no dots, so no label: a point's figure is the chart's latest, in its caption
        return value === undefined ? [] : [{ x: categories[i], value, verdict: "none" as const, label: "", data: {} }];
      }),
    }));
    const latest = series[0].points.at(-1)?.value;
    const svg = lineChart({
      title: `${suite} ${c.caption} at ${level}, over the seconds since it started`,
      categories,
      series,
      valueLabels: false,
      xLabels: 6,
      dots: false,
    });
    const data = { chart: c.chart, suite, level, samples: samples.length, ...(latest === undefined ? {} : { latest }) };
    const now = latest === undefined ? "" : ` · now ${formatNumber(latest)}`;
    const caption = `<b>${esc(suite)}</b> ${esc(c.caption)} <span class="unit">${esc(c.unit)}${esc(now)}</span>`;
    return `<figure class="chart-box live"${attrs({}, data)}><figcaption>${caption}</figcaption>${svg}${
      c.lines.length > 1 ? legend(series) : ""
    }</figure>`;
  }).join("");
}

/** Keeps at most `max` samples: past it, every other one of the older half goes, so a suite of minutes stays a bounded chart. */
export function addSample(samples: LiveSample[], sample: LiveSample, max = 240): void {
  // two readings in one tenth of a second (the last tick and the final one) are one point of the chart
  if (samples.length > 0 && at(samples[samples.length - 1]) === at(sample)) samples.pop();
  samples.push(sample);
  if (samples.length <= max) return;
  const half = Math.floor(samples.length / 2);
  const thinned = samples.slice(0, half).filter((_, i) => i % 2 === 0);
  samples.splice(0, half, ...thinned);
}
