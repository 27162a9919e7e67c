/**
 * @module
 * The result as a markdown report (GitHub tables), padded so it reads as
 * well in a plain text editor as rendered: run info, per level a table per
 * suite, the summary across levels, degradation, bottleneck,
 * recommendations and every error.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./markdown.ts";
 * await writeFile("report.md", renderMarkdown(result));
 * ```
 */
import type { Result } from "../model/result.ts";
import { mark, PLAIN } from "./format.ts";
import { conformanceLoadFailures, conformanceLoadNote, conformanceLoadTable } from "./conformance-load-section.ts";
import { markdownTable } from "./_table.ts";
import { throughputCharts } from "./mermaid.ts";
import {
  BANDS_NOTE,
  bottleneckLine,
  degradationTable,
  errorRows,
  levelFacts,
  METRIC_ALIGN,
  METRIC_HEADER,
  metricRows,
  runInfo,
  suiteFootnotes,
  summaryTable,
} from "./_sections.ts";

export function renderMarkdown(result: Result): string {
  const out: string[] = [];
  const verdicts = result.levels.map((l) => `${l.level.name} ${mark(l.verdict)}`).join(" · ");
  out.push(`# ${result.tool.name} report: ${mark(result.verdict)} ${result.verdict}`, "");
  if (verdicts) out.push(verdicts, "");
  out.push(markdownTable({ header: ["run", ""], rows: runInfo(result, PLAIN).map(([k, v]) => [k, code(k, v)]) }));

  for (const level of result.levels) {
    out.push("", `## Level ${level.level.name} ${mark(level.verdict)}`, "", `${levelFacts(level)}.`);
    if (level.suites.length === 0) out.push("", "No suite ran at this level.");
    for (const suite of level.suites) {
      out.push("", `### ${suite.suite} ${mark(suite.verdict)}`, "");
      const rows = metricRows(suite, PLAIN, false, result.plan);
      const notes = suiteFootnotes(suite);
      if (rows.length) out.push(markdownTable({ header: METRIC_HEADER.slice(1), rows, align: METRIC_ALIGN.slice(1) }));
      else if (suite.status !== "skipped") out.push("_No metrics._");
      if (notes.length > 0) {
        out.push(
          ...(rows.length || suite.status !== "skipped" ? [""] : []),
          ...notes.map((n) => `- ${n.kind === "status" || n.kind === "skipped" ? `**${n.text}**` : n.text}`),
        );
      }
    }
  }

  out.push("", "## Summary across levels", "");
  const summary = summaryTable(result.levels, PLAIN, result.plan);
  out.push(summary ? markdownTable(summary) : "_No headline metrics._");
  const charts = throughputCharts(result);
  if (charts.length > 0) out.push("", "### Throughput across levels", "", ...charts.flatMap((c) => [c, ""]).slice(0, -1));

  const conformance = conformanceLoadTable(result, PLAIN);
  if (conformance) {
    out.push("", "## Conformance under load", "", conformanceLoadNote(result), "", markdownTable(conformance));
    const failures = conformanceLoadFailures(result, PLAIN);
    if (failures) out.push("", markdownTable(failures));
  }

  out.push("", "## Degradation analysis", "");
  const degradation = degradationTable(result, PLAIN);
  if (degradation) out.push(markdownTable(degradation), "");
  out.push(bottleneckLine(result).replace(/^Bottleneck:/, "**Bottleneck:**"), "", `_${BANDS_NOTE}_`);

  out.push("", "## Recommendations", "");
  const recs = result.analysis.recommendations;
  out.push(...(recs.length ? recs.map((r) => `- ${mark(r.severity)} ${r.text}`) : ["_None._"]));

  out.push("", "## Errors", "");
  const errors = errorRows(result);
  out.push(
    errors.length
      ? markdownTable({
        header: ["level", "suite", "class", "count", "first message"],
        rows: errors,
        align: ["left", "left", "left", "right", "left"],
      })
      : "_None._",
  );
  return out.join("\n") + "\n";
}

// URLs and timestamps in code spans, so no renderer turns them into links or dates.
function code(label: string, value: string): string {
  return label === "started" ? `\`${value}\`` : value.replace(/(wss?:\/\/\S+)/, "`$1`");
}
