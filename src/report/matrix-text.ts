/**
 * @module
 * The runtime matrix as text: a side-by-side grid per metric (servers down,
 * clients across) with the median, the spread, the leader and the ratios,
 * and one summary table of every metric across every pairing. The terminal
 * shows the grids and then the summary; markdown the summary, then the grids.
 *
 * @example
 * ```ts
 * import { renderMatrixMarkdown, renderMatrixTerminal } from "./matrix-text.ts";
 * console.log(renderMatrixTerminal(matrix, { color: false }));
 * await writeFile("matrix.md", renderMatrixMarkdown(matrix));
 * ```
 */
import { layoutText, markdownTable, type Align, type Table } from "./_table.ts";
import { ANSI, formatBytes, formatDuration, formatNumber, PLAIN, type Style } from "./format.ts";
import type { Matrix, MetricCell, MetricComparison } from "../model/matrix-document.ts";

export const CELL_LEGEND =
  "a cell is the median over the rounds ± half its min–max range (relative to the median); ×N: the leader is N times better; ★ leader; = its range overlaps the leader's (a tie)";

function value(n: number, unit: string): string {
  if (unit === "B") return formatBytes(n);
  // CPU seconds come in 10 ms ticks: keep them at two decimals, 7.00 rather than 7
  return unit === "s" ? formatNumber(n, 2) : formatNumber(n);
}

function spreadText(cell: MetricCell, unit: string): string {
  if (cell.spread === 0) return "±0%";
  if (cell.median === 0) return `±${value(cell.spread / 2, unit)}`;
  return `±${formatNumber(((cell.spread / 2) / Math.abs(cell.median)) * 100, 0)}%`;
}

/** ×N; ×∞ when the leader has none of what this pairing has; n/a for a negative figure, where no ratio means anything. */
function ratioText(cell: MetricCell, metric: MetricComparison): string {
  if (cell.pairing === metric.leader) return "★";
  const lead = metric.cells.find((c) => c.pairing === metric.leader)!;
  const r = cell.ratio !== null ? `×${formatNumber(cell.ratio, 2)}` : cell.median < 0 || lead.median < 0 ? "n/a" : "×∞";
  return cell.tied ? `= ${r}` : r;
}

export function cellText(cell: MetricCell, metric: MetricComparison): string {
  return `${value(cell.median, metric.unit)} ${spreadText(cell, metric.unit)} ${ratioText(cell, metric)}`;
}

/** `medium message round trips`, `message RTT p99`, `broadcast fan-out deliveries (engine)`, `client CPU time`. */
export function metricName(metric: MetricComparison, matrix: Matrix): string {
  if (metric.group === "process") return metric.label;
  const level = matrix.matrix.plan.levels.length > 1 && metric.level ? `${metric.level} ` : "";
  return `${level}${metric.group} ${metric.label}${metric.layer === "engine" ? " (engine)" : ""}`;
}

function unitName(unit: string): string {
  return unit === "B" ? "bytes" : unit === "" ? "count" : unit;
}

/** `bun/bun`, `tie: bun/bun = node/bun`, or `tie: all 9` */
export function outcomeText(metric: MetricComparison): string {
  if (metric.outcome === "win") return metric.leader;
  const tied = [metric.leader, ...metric.tiedWith];
  return tied.length === metric.cells.length && tied.length > 2 ? `tie: all ${tied.length}` : `tie: ${tied.join(" = ")}`;
}

/** How far ahead the leader is of the pairings it beat (those whose ranges do not overlap its own): `×1.28–4.57 over 6`. */
export function leadText(metric: MetricComparison): string {
  const beaten = metric.cells.filter((c) => c.pairing !== metric.leader && !c.tied);
  if (metric.cells.length === 1) return "alone";
  if (beaten.length === 0) return "none beaten";
  if (metric.cells.some((c) => c.median < 0)) return `beats ${beaten.length}; no ratio: negative figures`;
  const ratios = beaten.map((c) => c.ratio ?? Infinity);
  const fmt = (r: number): string => (r === Infinity ? "∞" : formatNumber(r, 2));
  const [low, high] = [Math.min(...ratios), Math.max(...ratios)];
  return `×${fmt(low)}${high !== low ? `–${fmt(high)}` : ""} over ${beaten.length === 1 ? "1 other" : `${beaten.length} others`}`;
}

/** One metric: servers down, clients across. */
export function metricGrid(metric: MetricComparison, matrix: Matrix): Table {
  const { servers, clients } = matrix.matrix;
  const cell = (server: string, client: string): string => {
    const found = metric.cells.find((c) => c.pairing === `${server}/${client}`);
    return found ? cellText(found, metric) : "—";
  };
  return {
    header: ["server \\ client", ...clients],
    rows: servers.map((s) => [s, ...clients.map((c) => cell(s, c))]),
    align: ["left", ...clients.map((): Align => "right")],
  };
}

export function metricTitle(metric: MetricComparison, matrix: Matrix): string {
  const verdict = metric.outcome === "win" ? `${metric.leader} wins, ${leadText(metric)}` : `${outcomeText(metric)} (ranges overlap); ${leadText(metric)}`;
  return `${metricName(metric, matrix)} (${unitName(metric.unit)}, ${metric.better} is better): ${verdict}`;
}

/** Every metric in one table: the pairings side by side, the outcome and the leader's lead. */
export function summaryTable(matrix: Matrix): Table {
  const ids = matrix.pairings.map((p) => p.id);
  return {
    header: ["metric", "unit", "better", ...ids, "winner", "lead over the beaten"],
    rows: matrix.metrics.map((m) => [
      metricName(m, matrix),
      unitName(m.unit),
      m.better,
      ...ids.map((id) => {
        const c = m.cells.find((cell) => cell.pairing === id);
        return c ? cellText(c, m) : "—";
      }),
      outcomeText(m),
      leadText(m),
    ]),
    align: ["left", "left", "left", ...ids.map((): Align => "right"), "left", "left"],
  };
}

function runtimesLine(matrix: Matrix): string {
  return matrix.runtimes.map((r) => `${r.name} ${r.version} (${r.executable})`).join(", ");
}

export function facts(matrix: Matrix): string[] {
  const { plan, servers, clients, rounds } = matrix.matrix;
  const failed = matrix.pairings.flatMap((p) => p.runs.filter((r) => r.status === "failed").map((r) => `${p.id} round ${r.round}: ${r.error?.split("\n")[0]}`));
  return [
    `${servers.length} servers × ${clients.length} clients = ${matrix.pairings.length} pairings, ${rounds} ${rounds === 1 ? "round" : "rounds"} each, interleaved (every pairing once per round); status ${matrix.status}, ${formatDuration(matrix.durationMs)}`,
    `levels ${plan.levels.map((l) => l.name).join(", ")}; suites ${plan.suites.join(", ")}; every run a fresh server and a fresh client, each in its own process`,
    `runtimes: ${runtimesLine(matrix)}`,
    `machine: ${matrix.machine.cpuModel}, ${matrix.machine.cores} cores, ${matrix.machine.os}/${matrix.machine.arch}`,
    `spread: the ${matrix.spread} (max − min) over the rounds; tie: ${matrix.tieRule}`,
    CELL_LEGEND,
    ...failed.map((f) => `failed: ${f}`),
  ];
}

export function renderMatrixTerminal(matrix: Matrix, options: { color?: boolean } = {}): string {
  const style: Style = options.color ? ANSI : PLAIN;
  const out: string[] = [style.bold(`wsstress ${matrix.tool.version}: runtime matrix (pairings are server/client)`)];
  for (const line of facts(matrix)) out.push(`  ${style.dim(line)}`);
  for (const metric of matrix.metrics) {
    const { head, rows } = layoutText(metricGrid(metric, matrix));
    out.push("", style.bold(metricTitle(metric, matrix)), ...[...head, ...rows].map((l) => `  ${l}`));
  }
  const compact: Table = {
    header: ["metric", "better", "winner", "lead over the beaten"],
    rows: matrix.metrics.map((m) => [metricName(m, matrix), m.better, outcomeText(m), leadText(m)]),
  };
  const { head, rows } = layoutText(compact);
  out.push("", style.bold("━━ Winners"), ...[...head, ...rows].map((l) => `  ${l}`));
  return out.join("\n");
}

export function renderMatrixMarkdown(matrix: Matrix): string {
  const out: string[] = ["# wsstress runtime matrix", "", "Pairings are `server/client`.", ""];
  for (const line of facts(matrix)) out.push(`- ${line}`);
  out.push("", "## Every metric, side by side", "", markdownTable(summaryTable(matrix)), "", "## Per metric", "");
  for (const metric of matrix.metrics) out.push(`### ${metricTitle(metric, matrix)}`, "", markdownTable(metricGrid(metric, matrix)), "");
  return out.join("\n");
}
