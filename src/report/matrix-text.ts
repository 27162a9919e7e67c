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
import { type Align, layoutText, markdownTable, type Table } from "./_table.ts";
import { ANSI, formatBytes, formatDuration, formatNumber, PLAIN, type Style } from "./format.ts";
import type { Matrix, MetricCell, MetricComparison } from "../model/matrix-document.ts";

export const CELL_LEGEND =
  "a cell is the median over the rounds ± half its min–max range (relative to the median); ×N: the leader's median is N times better; " +
  "★ leader; ≈ not told apart from the leader (within the noise or the tolerance, or too few rounds)";

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

/** ×N; ×∞ when the leader has none of what this cell has; n/a for a negative figure, where no ratio means anything. */
function ratioText(cell: MetricCell, metric: MetricComparison): string {
  if (cell.pairing === metric.leader) return "★";
  const lead = metric.cells.find((c) => c.pairing === metric.leader)!;
  const r = cell.ratio !== null ? `×${formatNumber(cell.ratio, 2)}` : cell.median < 0 || lead.median < 0 ? "n/a" : "×∞";
  return cell.beaten ? r : `≈ ${r}`;
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

/** `bun/bun`, `tie: bun/bun = node/bun`, `tie: all 9`, `no call: too few rounds`, `not called: one sample`, `node alone`. */
export function outcomeText(metric: MetricComparison): string {
  switch (metric.outcome) {
    case "win":
      return metric.leader;
    case "tie": {
      const tied = [metric.leader, ...metric.tiedWith];
      return tied.length === metric.cells.length && tied.length > 2 ? `tie: all ${tied.length}` : `tie: ${tied.join(" = ")}`;
    }
    case "too-few":
      return "no call: too few rounds";
    case "not-gated":
      return "not called: one sample";
    case "alone":
      return `${metric.leader} alone`;
  }
}

const times = (r: number): string => (r === Infinity ? "∞" : formatNumber(r, 2));

/** How far ahead the leader is of the cells it beat, and the least of it at the rule's confidence: `×1.28–4.57 over 6 (≥ ×1.12)`. */
export function leadText(metric: MetricComparison): string {
  const beaten = metric.cells.filter((c) => c.beaten);
  if (metric.outcome === "alone") return metric.by === "client" ? "one client runtime: nothing to compare" : "nothing to compare";
  if (metric.outcome === "too-few") return `best median ${metric.leader}; nothing called`;
  if (metric.outcome === "not-gated") return `best median ${metric.leader}; a max or a min is not called`;
  if (beaten.length === 0) return "none beaten";
  if (metric.cells.some((c) => c.median < 0)) return `beats ${beaten.length}; no ratio: negative figures`;
  const ratios = beaten.map((c) => c.ratio ?? Infinity);
  const [low, high] = [Math.min(...ratios), Math.max(...ratios)];
  const floors = beaten.flatMap((c) => (c.ratioInterval ? [c.ratioInterval[0]] : []));
  const least = floors.length ? ` (≥ ×${times(Math.min(...floors))})` : "";
  const over = beaten.length === 1 ? "1 other" : `${beaten.length} others`;
  return `×${times(low)}${high !== low ? `–${times(high)}` : ""} over ${over}${least}`;
}

/** One metric: servers down, clients across; an engine row is one line of client runtimes. */
export function metricGrid(metric: MetricComparison, matrix: Matrix): Table {
  const { servers, clients } = matrix.matrix;
  const cell = (id: string): string => {
    const found = metric.cells.find((c) => c.pairing === id);
    return found ? cellText(found, metric) : "—";
  };
  const align: Align[] = ["left", ...clients.map((): Align => "right")];
  if (metric.by === "client") return { header: ["timed in the client", ...clients], rows: [["every server", ...clients.map(cell)]], align };
  return { header: ["server \\ client", ...clients], rows: servers.map((s) => [s, ...clients.map((c) => cell(`${s}/${c}`))]), align };
}

export function metricTitle(metric: MetricComparison, matrix: Matrix): string {
  const verdict = metric.outcome === "win" ? `${metric.leader} wins, ${leadText(metric)}` : `${outcomeText(metric)}; ${leadText(metric)}`;
  return `${metricName(metric, matrix)} (${unitName(metric.unit)}, ${metric.better} is better): ${verdict}`;
}

/** Every metric in one table: the cells side by side, the outcome and the leader's lead; an engine row fills its client's pairings. */
export function summaryTable(matrix: Matrix): Table {
  const ids = matrix.pairings.map((p) => p.id);
  return {
    header: ["metric", "unit", "better", ...ids, "winner", "lead over the beaten"],
    rows: matrix.metrics.map((m) => [
      metricName(m, matrix),
      unitName(m.unit),
      m.better,
      ...ids.map((id) => {
        const c = m.cells.find((cell) => cell.pairing === (m.by === "client" ? id.split("/")[1] : id));
        return c ? cellText(c, m) : "—";
      }),
      outcomeText(m),
      leadText(m),
    ]),
    align: ["left", "left", "left", ...ids.map((): Align => "right"), "left", "left"],
  };
}

/** `3 winners, 12 ties, 4 with too few rounds, 2 single samples not called, 2 alone` */
export function callsLine(matrix: Matrix): string {
  const n = (o: MetricComparison["outcome"]) => matrix.metrics.filter((m) => m.outcome === o).length;
  const parts = [`${n("win")} ${n("win") === 1 ? "winner" : "winners"} called`, `${n("tie")} ${n("tie") === 1 ? "tie" : "ties"}`];
  if (n("too-few")) parts.push(`${n("too-few")} not called for too few rounds`);
  if (n("not-gated")) parts.push(`${n("not-gated")} single samples not called`);
  if (n("alone")) parts.push(`${n("alone")} with nothing to compare`);
  return parts.join(", ");
}

function runtimesLine(matrix: Matrix): string {
  return matrix.runtimes.map((r) => `${r.name} ${r.version} (${r.executable})`).join(", ");
}

function tolerancesNote(matrix: Matrix): string {
  const set = Object.entries(matrix.rule.tolerances);
  return set.length ? ` (${set.map(([id, p]) => `${id} ${formatNumber(p)}%`).join(", ")})` : "";
}

/** Said, not hidden: rounds too few for the rank test call nothing. */
function roundsNote(matrix: Matrix): string[] {
  const { rounds } = matrix.matrix;
  if (rounds >= 4) return [];
  const confidence = formatNumber(matrix.rule.confidence * 100);
  return [
    `${rounds} ${rounds === 1 ? "round" : "rounds"} of each pairing are too few for the rank test to call a winner at ${confidence} % ` +
    "(it needs 4): medians are shown, nothing between pairings is called; run --rounds 5",
  ];
}

export function facts(matrix: Matrix): string[] {
  const { plan, servers, clients, rounds } = matrix.matrix;
  const failed = matrix.pairings.flatMap((p) =>
    p.runs.filter((r) => r.status === "failed").map((r) => `${p.id} round ${r.round}: ${r.error?.split("\n")[0]}`)
  );
  return [
    `${servers.length} servers × ${clients.length} clients = ${matrix.pairings.length} pairings, ${rounds} ${
      rounds === 1 ? "round" : "rounds"
    } each, interleaved (every pairing once per round); status ${matrix.status}, ${formatDuration(matrix.durationMs)}`,
    `levels ${plan.levels.map((l) => l.name).join(", ")}; suites ${
      plan.suites.join(", ")
    }; every run a fresh server and a fresh client, each in its own process`,
    `runtimes: ${runtimesLine(matrix)}`,
    `machine: ${matrix.machine.cpuModel}, ${matrix.machine.cores} cores, ${matrix.machine.os}/${matrix.machine.arch}`,
    ...roundsNote(matrix),
    `rule: ${matrix.rule.text}; tolerance ${formatNumber(matrix.rule.defaultTolerancePercent)}%${tolerancesNote(matrix)}`,
    "engine rows are timed inside the client process: they compare client runtimes, every server's rounds pooled",
    CELL_LEGEND,
    callsLine(matrix),
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
