/**
 * @module
 * A comparison of two results as a terminal table and as markdown: one row
 * per metric both hold, with the two figures, the change and the verdict,
 * then a one-line summary a CI log can be grepped for.
 *
 * @example
 * ```ts
 * import { renderComparisonMarkdown } from "./comparison-render.ts";
 * await writeFile("compare.md", renderComparisonMarkdown(compareResults(baseline, current)));
 * ```
 */
import type { Change, Comparison, ComparisonRow } from "../analysis/baseline-comparison.ts";
import { formatNumber, formatParts, PLAIN, type Style } from "./format.ts";
import type { Verdict } from "../model/result.ts";
import { layoutText, markdownTable, type Table } from "./_table.ts";

const VERDICT_OF: Record<Change, Verdict> = { improved: "pass", same: "none", regressed: "fail", unjudged: "none" };
const SHOWN: Record<Change, string> = { improved: "✅ improved", same: "same", regressed: "❌ regressed", unjudged: "·" };

function delta(row: ComparisonRow): string {
  if (row.deltaPercent === null) return "from 0";
  const sign = row.deltaPercent > 0 ? "+" : "";
  return `${sign}${formatNumber(row.deltaPercent, 1)}%`;
}

function table(c: Comparison, style: Style): Table {
  const rows = c.rows.map((r, i) => {
    const prev = c.rows[i - 1];
    const sameGroup = prev && prev.level === r.level && prev.suite === r.suite;
    const unit = formatParts(r.current, r.unit).unit;
    return [
      sameGroup ? "" : r.level,
      sameGroup ? "" : r.suite,
      r.layer,
      r.label,
      style.dim(unit),
      formatParts(r.baseline, r.unit).number,
      formatParts(r.current, r.unit).number,
      delta(r),
      style.verdict(SHOWN[r.change], VERDICT_OF[r.change]),
    ];
  });
  return {
    header: ["level", "suite", "layer", "metric", "unit", "baseline", "current", "change", "verdict"],
    rows,
    align: ["left", "left", "left", "left", "left", "right", "right", "right", "left"],
  };
}

/** `2 regressed, 1 improved, 40 the same (tolerance 10%)` */
export function comparisonSummary(c: Comparison): string {
  return `${c.regressed} regressed, ${c.improved} improved, ${c.same} the same (tolerance ${formatNumber(c.tolerancePercent)}%)`;
}

function notes(c: Comparison): string[] {
  const out: string[] = [];
  if (c.rows.some((r) => r.source === "histogram")) out.push("Latency percentiles are recomputed from both runs' histograms.");
  if (c.onlyInBaseline.length) out.push(`Only in the baseline: ${c.onlyInBaseline.join(", ")}.`);
  if (c.onlyInCurrent.length) out.push(`Only in the current run: ${c.onlyInCurrent.join(", ")}.`);
  for (const caveat of c.caveats) out.push(`Caveat: ${caveat}.`);
  return out;
}

export function renderComparisonText(c: Comparison, style: Style = PLAIN): string {
  const out: string[] = [style.bold("wsstress compare: baseline → current"), ""];
  if (c.rows.length === 0) out.push("  no metric is in both results");
  else {
    const laid = layoutText(table(c, style));
    out.push(...laid.head.map((l) => `  ${style.dim(l)}`), ...laid.rows.map((l) => `  ${l}`));
  }
  out.push("", ...notes(c).map((n) => `  ${style.dim(n)}`));
  const summary = comparisonSummary(c);
  out.push(`  ${c.regressed > 0 ? style.verdict(`❌ ${summary}`, "fail") : style.verdict(`✅ ${summary}`, "pass")}`);
  return out.join("\n") + "\n";
}

export function renderComparisonMarkdown(c: Comparison): string {
  const out = [`# wsstress compare: ${c.regressed > 0 ? "❌" : "✅"} ${comparisonSummary(c)}`, ""];
  out.push(c.rows.length ? markdownTable(table(c, PLAIN)) : "_No metric is in both results._");
  const n = notes(c);
  if (n.length) out.push("", ...n.map((line) => `- ${line}`));
  return out.join("\n") + "\n";
}
