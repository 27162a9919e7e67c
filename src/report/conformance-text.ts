/**
 * @module
 * A conformance result in the terminal: the run, the verdicts by group, every
 * case that is not OK with why and its close, and for each FAILED or
 * NON-STRICT case the frames both ways. Colours only when asked for.
 *
 * @example
 * ```ts
 * import { renderConformanceText } from "./conformance-text.ts";
 * console.log(renderConformanceText(result, { color: true }));
 * ```
 */
import type { ConformanceResult } from "../model/conformance-result.ts";
import { ANSI, PLAIN } from "./format.ts";
import { layoutText, wrap } from "./_table.ts";
import { conformanceInfo, groupTable, notOkCases, notOkTable, verdictText, wireLines } from "./conformance-tables.ts";

const INDENT = "  ";

export function renderConformanceText(result: ConformanceResult, options: { color: boolean; width?: number }): string {
  const style = options.color ? ANSI : PLAIN;
  const width = options.width ?? 100;
  const out: string[] = [style.bold(`${result.tool.name} ${result.tool.version}: WebSocket conformance (RFC 6455, RFC 7692)`)];
  const info = conformanceInfo(result);
  for (const [label, value] of info) {
    out.push(`${INDENT}${style.dim(label.padEnd(11))}  ${label === "verdict" ? verdictText(result.verdict, style) : value}`);
  }

  out.push("", style.bold("━━ Verdicts by group"));
  const groups = layoutText(groupTable(result, style));
  out.push(...groups.head.map((l) => INDENT + style.dim(l)), ...groups.rows.map((l) => INDENT + l));

  const notOk = notOkCases(result);
  out.push("", style.bold(`━━ Cases that are not OK (${notOk.length})`));
  if (notOk.length === 0) out.push(`${INDENT}none: every case passed strictly`);
  else {
    const table = notOkTable(result, style);
    // the reason wraps under its own column
    const narrow = { ...table, rows: table.rows.map((r) => r.slice(0, 3)), header: table.header.slice(0, 3) };
    const laid = layoutText(narrow);
    out.push(...laid.head.map((l) => INDENT + style.dim(l)));
    laid.rows.forEach((line, i) => {
      out.push(INDENT + line);
      for (const l of wrap(table.rows[i][3], width - 6)) out.push(`${INDENT}    ${style.dim(l)}`);
    });
  }

  for (const c of notOk.filter((c) => c.verdict === "FAILED" || c.verdict === "NON-STRICT")) {
    out.push("", style.bold(`━━ ${c.id} ${verdictText(c.verdict, style)}: ${c.description}`));
    out.push(...wrap(`Expected: ${c.expectation}`, width - 4).map((l) => INDENT + style.dim(l)));
    out.push(...wireLines(c).map((l) => INDENT + l));
  }
  return out.join("\n");
}
