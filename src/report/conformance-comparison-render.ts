/**
 * @module
 * A comparison of two conformance documents in words: the totals, then every
 * case whose verdict moved (worse first), every case only one side ran; the
 * unchanged ones are counted, not listed.
 */
import type { ConformanceComparison, ConformanceRow } from "../analysis/conformance-comparison.ts";
import { PLAIN, type Style } from "./format.ts";
import { layoutText, markdownTable, type Table } from "./_table.ts";
import { verdictText } from "./conformance-tables.ts";

const ORDER: Record<ConformanceRow["change"], number> = { worse: 0, removed: 1, better: 2, added: 3, same: 4 };

function changedTable(comparison: ConformanceComparison, style: Style): Table {
  const rows = comparison.rows.filter((r) => r.change !== "same").sort((a, b) => ORDER[a.change] - ORDER[b.change]);
  const mark = (r: ConformanceRow): string =>
    r.change === "worse" ? style.verdict("worse", "fail") : r.change === "better" ? style.verdict("better", "pass") : r.change;
  return {
    header: ["case", "baseline", "current", "change", "why (current)"],
    rows: rows.map((r) => [
      r.id,
      r.before ? verdictText(r.before, style) : "—",
      r.after ? verdictText(r.after, style) : "—",
      mark(r),
      r.reason ?? "",
    ]),
  };
}

export function conformanceComparisonSummary(c: ConformanceComparison): string {
  return `${c.rows.length} cases: ${c.worse} worse, ${c.better} better, ${c.same} the same, ` +
    `${c.added} only in the current run, ${c.removed} only in the baseline`;
}

export function renderConformanceComparisonText(comparison: ConformanceComparison, style: Style): string {
  const out = [
    style.bold("wsstress compare: WebSocket conformance, case by case"),
    `  baseline  ${comparison.baseline.url} (${comparison.baseline.startedAt}): ${verdictText(comparison.baseline.verdict, style)}`,
    `  current   ${comparison.current.url} (${comparison.current.startedAt}): ${verdictText(comparison.current.verdict, style)}`,
    `  ${conformanceComparisonSummary(comparison)}`,
  ];
  const table = changedTable(comparison, style);
  if (table.rows.length > 0) {
    const laid = layoutText(table);
    out.push("", ...laid.head.map((l) => `  ${style.dim(l)}`), ...laid.rows.map((l) => `  ${l}`));
  } else out.push("", "  every case has the same verdict in both");
  return out.join("\n");
}

export function renderConformanceComparisonMarkdown(comparison: ConformanceComparison): string {
  const table = changedTable(comparison, PLAIN);
  return [
    "# WebSocket conformance: current against baseline",
    "",
    `${conformanceComparisonSummary(comparison)}.`,
    "",
    table.rows.length > 0 ? markdownTable(table) : "Every case has the same verdict in both.",
    "",
  ].join("\n");
}
