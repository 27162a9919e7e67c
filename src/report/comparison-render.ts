/**
 * @module
 * A comparison of runs as a terminal table and as markdown: one row per
 * metric both sides hold, with the medians, the change, its confidence
 * interval, the p-value and the call; then the rule it was called by, what
 * the runs cannot tell, and a one-line summary a CI log can be grepped for.
 *
 * @example
 * ```ts
 * import { renderComparisonMarkdown } from "./comparison-render.ts";
 * await writeFile("compare.md", renderComparisonMarkdown(compareResults(baseline, current)));
 * ```
 */
import type { Comparison, ComparisonRow } from "../model/comparison-document.ts";
import { formatNumber, formatParts, PLAIN, type Style } from "./format.ts";
import type { Verdict } from "../model/result.ts";
import { layoutText, markdownTable, type Table } from "./_table.ts";
import { changeText, intervalText, pText, spreadText } from "./difference-text.ts";

type Change = ComparisonRow["change"];

const VERDICT_OF: Record<Change, Verdict> = { improved: "pass", same: "none", regressed: "fail", "not-gated": "none", unjudged: "none" };
/** A call as the tables show it. */
export const CHANGE_TEXT: Record<Change, string> = {
  improved: "✅ improved",
  same: "same",
  regressed: "❌ regressed",
  "not-gated": "· not gated",
  unjudged: "·",
};

/** The median, and how many runs it is the median of when there are several. */
function figure(value: number, runs: readonly number[], unit: string): string {
  const n = formatParts(value, unit).number;
  return runs.length > 1 ? `${n} (${runs.length})` : n;
}

function table(c: Comparison, style: Style): Table {
  const rows = c.rows.map((r, i) => {
    const prev = c.rows[i - 1];
    const sameGroup = prev && prev.level === r.level && prev.suite === r.suite;
    return [
      sameGroup ? "" : r.level,
      sameGroup ? "" : r.suite,
      r.layer,
      r.label,
      style.dim(formatParts(r.current, r.unit).unit),
      figure(r.baseline, r.baselineRuns, r.unit),
      figure(r.current, r.currentRuns, r.unit),
      spreadText(r.call),
      changeText(r.call),
      intervalText(r.call),
      pText(r.call),
      style.verdict(CHANGE_TEXT[r.change], VERDICT_OF[r.change]),
    ];
  });
  return {
    header: [
      "level",
      "suite",
      "layer",
      "metric",
      "unit",
      "baseline",
      "current",
      "spread",
      "change",
      `${formatNumber(c.rule.confidence * 100, 0)}% interval`,
      "p",
      "call",
    ],
    rows,
    align: ["left", "left", "left", "left", "left", "right", "right", "right", "right", "right", "right", "left"],
  };
}

/** How the calls were made: `rank test over 5 + 5 runs` or `default noise model, 1 + 1 run`. */
function method(c: Comparison): string {
  const [n, m] = [c.baselines.length, c.currents.length];
  const byRanks = c.rows.some((r) => r.call.method === "rank-test");
  return byRanks ? `rank test over ${n} + ${m} runs` : `default noise model, ${n} + ${m} ${n + m === 2 ? "run" : "runs"}`;
}

/** `2 regressed, 1 improved, 40 the same, 6 not gated (tolerance 10%; rank test over 5 + 5 runs)` */
export function comparisonSummary(c: Comparison): string {
  const named = Object.keys(c.rule.tolerances).length;
  const tolerance = `tolerance ${formatNumber(c.rule.defaultTolerancePercent)}%${named ? `, ${named} set per metric` : ""}`;
  const notGated = c.notGated ? `, ${c.notGated} not gated` : "";
  return `${c.regressed} regressed, ${c.improved} improved, ${c.same} the same${notGated} (${tolerance}; ${method(c)})`;
}

/** The rule, what the runs cannot tell, what was not gated and every caveat, one sentence each. */
export function comparisonNotes(c: Comparison): string[] {
  const out: string[] = [
    `Rule: ${c.rule.text}.`,
    "Spread: one run's figure from run to run (a standard deviation), as the runs show it, or ~ as the default noise model assumes it.",
  ];
  for (const unknown of c.unknowns) out.push(`Cannot know: ${unknown}.`);
  const figures = c.notGated === 1 ? "figure" : "figures";
  if (c.notGated) {
    out.push(
      `Not gated: ${c.notGated} ${figures} of one sample (a max or a min) or of the generator's own send lag, ` +
        "shown but never called unless --tolerance names them.",
    );
  }
  if (c.rows.some((r) => r.source === "histogram")) out.push("Latency percentiles are recomputed from every run's histogram.");
  if (c.onlyInBaseline.length) out.push(`Only in the baseline: ${c.onlyInBaseline.join(", ")}.`);
  if (c.onlyInCurrent.length) out.push(`Only in the current run: ${c.onlyInCurrent.join(", ")}.`);
  for (const caveat of c.caveats) out.push(`Caveat: ${caveat}.`);
  return out;
}

function title(c: Comparison): string {
  const side = (k: number, name: string) => (k === 1 ? name : `${k} ${name} runs`);
  return `wsstress compare: ${side(c.baselines.length, "baseline")} → ${side(c.currents.length, "current")}`;
}

export function renderComparisonText(c: Comparison, style: Style = PLAIN): string {
  const out: string[] = [style.bold(title(c)), ""];
  const laid = layoutText(table(c, style));
  out.push(...laid.head.map((l) => `  ${style.dim(l)}`), ...laid.rows.map((l) => `  ${l}`));
  out.push("", ...comparisonNotes(c).map((n) => `  ${style.dim(n)}`));
  const summary = comparisonSummary(c);
  out.push(`  ${c.regressed > 0 ? style.verdict(`❌ ${summary}`, "fail") : style.verdict(`✅ ${summary}`, "pass")}`);
  return out.join("\n") + "\n";
}

export function renderComparisonMarkdown(c: Comparison): string {
  const out = [`# ${title(c)}: ${c.regressed > 0 ? "❌" : "✅"} ${comparisonSummary(c)}`, ""];
  out.push(markdownTable(table(c, PLAIN)), "", ...comparisonNotes(c).map((line) => `- ${line}`));
  return out.join("\n") + "\n";
}
