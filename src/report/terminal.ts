/**
 * @module
 * The result as a terminal report: per level, every metric of every suite
 * with ✅ ⚠️ ❌; then the summary across levels, the degradation analysis,
 * the bottleneck and the recommendations. Colors only when asked for.
 *
 * @example
 * ```ts
 * import { renderTerminal } from "./terminal.ts";
 * console.log(renderTerminal(result, { color: process.stdout.isTTY }));
 * ```
 */
import type { Result } from "../model/result.ts";
import { ANSI, mark, PLAIN, type Style } from "./format.ts";
import { layoutText, type Table, wrap } from "./_table.ts";
import { conformanceLoadFailures, conformanceLoadNote, conformanceLoadTable } from "./conformance-load-section.ts";
import {
  BANDS_NOTE,
  bottleneckLine,
  degradationTable,
  type Footnote,
  levelFacts,
  METRIC_ALIGN,
  METRIC_HEADER,
  metricRows,
  runInfo,
  suiteFootnotes,
  summaryTable,
} from "./_sections.ts";

export type TerminalOptions = {
  /** ANSI colors: green/yellow/red verdicts, dim units */
  color: boolean;
  /** wrap recommendations at this many columns (100 by default) */
  width?: number;
};

const INDENT = "  ";

export function renderTerminal(result: Result, options: TerminalOptions): string {
  const style = options.color ? ANSI : PLAIN;
  const width = options.width ?? 100;
  const out: string[] = [];
  const heading = (text: string) => out.push("", style.bold(`━━ ${text}`));

  out.push(style.bold(`${result.tool.name} ${result.tool.version}: WebSocket stress test`));
  const info = runInfo(result, style);
  const labelWidth = Math.max(...info.map(([label]) => label.length));
  for (const [label, value] of info) out.push(`${INDENT}${style.dim(label.padEnd(labelWidth))}  ${value}`);

  result.levels.forEach((level, i) => {
    heading(`Level ${i + 1}/${result.levels.length}: ${level.level.name} ${mark(level.verdict, style)}`);
    out.push(INDENT + style.dim(levelFacts(level)), "");
    if (level.suites.length === 0) {
      out.push(`${INDENT}no suite ran at this level`);
      return;
    }
    // one layout for the whole level so every suite's columns line up
    const perSuite = level.suites.map((s) => metricRows(s, style, true, result.plan));
    const table = layoutText({ header: METRIC_HEADER, rows: perSuite.flat(), align: [...METRIC_ALIGN] });
    out.push(...table.head.map((l) => INDENT + style.dim(l)));
    let row = 0;
    level.suites.forEach((suite, s) => {
      for (const line of table.rows.slice(row, row + perSuite[s].length)) out.push(INDENT + line);
      row += perSuite[s].length;
      if (perSuite[s].length === 0) {
        out.push(`${INDENT}${suite.suite}  ${style.dim(suite.status === "skipped" ? "(skipped)" : "(no metrics)")}`);
      }
      for (const note of suiteFootnotes(suite)) out.push(`${INDENT}  ↳ ${footnote(note, style)}`);
    });
  });

  heading("Summary across levels");
  table(out, summaryTable(result.levels, style, result.plan), style, "no headline metrics");

  const conformance = conformanceLoadTable(result, style);
  if (conformance) {
    heading("Conformance under load");
    out.push(...wrap(conformanceLoadNote(result), width - INDENT.length, INDENT).map((l) => INDENT + style.dim(l)), "");
    table(out, conformance, style, "");
    const failures = conformanceLoadFailures(result, style);
    if (failures) {
      out.push("");
      table(out, failures, style, "");
    }
  }

  const degradation = degradationTable(result, style);
  heading(degradation ? `Degradation analysis (${degradation.header[4]} → ${degradation.header[5]})` : "Degradation analysis");
  table(out, degradation, style, "");
  if (degradation) out.push("");
  out.push(...wrap(bottleneckLine(result), width - INDENT.length, INDENT).map((l) => INDENT + l));
  out.push(...wrap(BANDS_NOTE, width - INDENT.length, INDENT).map((l) => INDENT + style.dim(l)));

  heading("Recommendations");
  if (result.analysis.recommendations.length === 0) out.push(`${INDENT}none`);
  for (const r of result.analysis.recommendations) {
    const lines = wrap(r.text, width - INDENT.length - 3, "   ");
    out.push(`${INDENT}${mark(r.severity, style)} ${lines[0]}`, ...lines.slice(1).map((l) => INDENT + l));
  }
  return out.join("\n") + "\n";
}

function table(out: string[], t: Table | null, style: Style, empty: string): void {
  if (!t) {
    if (empty) out.push(INDENT + empty);
    return;
  }
  const laid = layoutText(t);
  out.push(...laid.head.map((l) => INDENT + style.dim(l)), ...laid.rows.map((l) => INDENT + l));
}

function footnote(note: Footnote, style: Style): string {
  if (note.kind === "status") return style.verdict(note.text, "fail");
  if (note.kind === "skipped") return style.bold(note.text);
  if (note.kind === "error") return style.verdict(note.text, "warn");
  return style.dim(note.text);
}
