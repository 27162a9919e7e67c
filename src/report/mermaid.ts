/**
 * @module
 * Charts for the markdown report as mermaid `xychart-beta` blocks, which
 * GitHub, GitLab and other hosts draw in place, and which still read as a
 * list of figures in plain text. xychart has no legend, so each chart holds
 * one series: one chart per suite and layer, throughput across levels.
 *
 * @example
 * ```ts
 * import { throughputCharts } from "./mermaid.ts";
 * console.log(throughputCharts(result).join("\n\n"));
 * ```
 */
import { formatNumber } from "./format.ts";
import { throughputSeries } from "./_series.ts";
import type { Result } from "../model/result.ts";
import { linearTicks } from "./_svg.ts";

// mermaid strings are double-quoted and take no escapes
const quote = (text: string) => `"${text.replace(/"/g, "'")}"`;

/** A figure rounded as the tables show it, without thousands separators (mermaid reads numbers). */
const figure = (value: number) => formatNumber(value).replaceAll(",", "");

/** One `xychart-beta` block per suite and layer: its main throughput at every level, as bars. */
export function throughputCharts(result: Result): string[] {
  const levels = result.levels.map((l) => l.level.name);
  return throughputSeries(result).map((s) => {
    // a level where the metric is missing shows as 0, never as a shifted bar
    const values = levels.map((name) => s.points.find((p) => p.level === name)?.value ?? 0);
    const ticks = linearTicks(0, Math.max(...values, 0) || 1);
    return [
      "```mermaid",
      "xychart-beta",
      `    title ${quote(`${s.suite} ${s.layer}: ${s.label} (${s.unit})`)}`,
      `    x-axis [${levels.map(quote).join(", ")}]`,
      `    y-axis ${quote(s.unit)} 0 --> ${ticks[ticks.length - 1]}`,
      `    bar [${values.map(figure).join(", ")}]`,
      "```",
    ].join("\n");
  });
}
