/**
 * @module
 * A conformance result as markdown (a pull-request comment, a wiki page):
 * the run, the verdicts by group, the cases that are not OK, and the frames
 * of each FAILED or NON-STRICT case in a folded block.
 */
import type { ConformanceResult } from "../model/conformance-result.ts";
import { PLAIN } from "./format.ts";
import { markdownTable } from "./_table.ts";
import { conformanceInfo, groupTable, notOkCases, notOkTable, verdictText, wireLines } from "./conformance-tables.ts";

export function renderConformanceMarkdown(result: ConformanceResult): string {
  const out = [
    `# WebSocket conformance: ${verdictText(result.verdict, PLAIN)}`,
    "",
    markdownTable({ header: ["", ""], rows: conformanceInfo(result) }),
    "",
    "## Verdicts by group",
    "",
    markdownTable(groupTable(result, PLAIN)),
    "",
    "## Cases that are not OK",
    "",
  ];
  const notOk = notOkCases(result);
  out.push(notOk.length === 0 ? "None: every case passed strictly." : markdownTable(notOkTable(result, PLAIN)));
  for (const c of notOk.filter((c) => c.verdict === "FAILED" || c.verdict === "NON-STRICT")) {
    out.push(
      "",
      `<details><summary>${c.id} ${verdictText(c.verdict, PLAIN)}: ${c.description.replace(/</g, "&lt;")}</summary>`,
      "",
      `Expected: ${c.expectation}`,
      "",
      "```text",
      ...wireLines(c),
      "```",
      "",
      "</details>",
    );
  }
  return out.join("\n") + "\n";
}
