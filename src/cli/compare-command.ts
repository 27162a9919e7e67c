/**
 * `wsstress compare BASELINE.json CURRENT.json`: every metric both results
 * hold, its change and a verdict (improved, same, regressed), for CI gates:
 * exit 1 when anything regressed past the tolerance, 2 when a file is
 * missing, cut short or invalid (the error names the file and the path in it).
 */
import { compareResults, DEFAULT_TOLERANCE_PERCENT } from "../analysis/baseline-comparison.ts";
import { renderComparisonMarkdown, renderComparisonText } from "../report/comparison-render.ts";
import { ANSI, PLAIN } from "../report/format.ts";
import { VERSION } from "../model/version.ts";
import { readDocument } from "./_read.ts";
import { compareConformance } from "../analysis/conformance-comparison.ts";
import { renderConformanceComparisonMarkdown, renderConformanceComparisonText } from "../report/conformance-comparison-render.ts";
import { UsageError } from "./errors.ts";
import { type Flag, flagRows, HELP_FLAG, NO_COLOR_FLAG, parseFlags, positionals, wantsColor } from "./_subcommand.ts";
import { inputError } from "../model/input-error.ts";
import { checkOutputPaths } from "./output-paths.ts";
import { writeOutputFiles } from "./write-whole.ts";

const FLAGS = {
  tolerance: { type: "string", value: "P", help: `a change of at most P percent either way is "same" (default ${DEFAULT_TOLERANCE_PERCENT}%), e.g. 5% or 2.5` },
  markdown: { type: "string", value: "FILE", help: "write the comparison as markdown to FILE (e.g. for a pull-request comment)" },
  json: { type: "string", value: "FILE", help: "write the comparison as JSON to FILE" },
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function compareHelp(): string {
  return [
    `wsstress ${VERSION} compare: a run against a baseline, metric by metric`,
    "",
    "Usage: wsstress compare BASELINE.json CURRENT.json [--tolerance 10%] [--markdown FILE]",
    "",
    "For every metric both results hold (same level, suite, layer and key): both figures,",
    "the change in percent and a verdict. improved or regressed means it moved more than",
    "the tolerance in the better or the worse direction (higher or lower is better, as the",
    "metric says); exactly at the tolerance or within it is the same. Latency percentiles",
    "are recomputed from both runs' histograms, never from averages. Both files are",
    "validated against the result schema.",
    "",
    "Two conformance documents (wsstress conform --json) compare case by case: every",
    "case whose verdict moved (worse: to a more severe one, from OK through",
    "INFORMATIONAL, UNIMPLEMENTED and NON-STRICT to FAILED), and every case only one ran.",
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 nothing regressed, 1 a metric regressed past the tolerance (a case got worse), 2 bad input",
    "(a missing, cut-short or invalid file, a bad flag, an output that is an input or another output).",
  ].join("\n");
}

/** `10%`, `10` or `2.5%` → 10, 10, 2.5 */
export function parseTolerance(raw: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  if (!match) throw inputError("--tolerance", `"${raw}" is not a percentage`, "a percentage ≥ 0, e.g. 10% or 2.5");
  return Number(match[1]);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: given } = parseFlags("compare", argv, FLAGS);
  if (values.help) return void console.log(compareHelp()), 0;
  const [baselineFile, currentFile] = positionals("compare", given, ["BASELINE.json", "CURRENT.json"]);
  const tolerancePercent = values.tolerance === undefined ? DEFAULT_TOLERANCE_PERCENT : parseTolerance(values.tolerance);
  const inputs = [{ role: "the baseline", file: baselineFile }, { role: "the current result", file: currentFile }];
  checkOutputPaths({ markdown: values.markdown, json: values.json }, inputs);
  const [baseline, current] = [await readDocument(baselineFile), await readDocument(currentFile)];
  const color = wantsColor(values["no-color"]);
  if (baseline.kind === "conformance" || current.kind === "conformance") {
    if (baseline.kind !== "conformance" || current.kind !== "conformance") {
      const what = (d: typeof baseline) => (d.kind === "conformance" ? "a conformance document (wsstress conform)" : "a stress result");
      throw new UsageError(
        `cannot compare ${baselineFile}, ${what(baseline)}, with ${currentFile}, ${what(current)}; allowed: two of the same kind`,
      );
    }
    if (values.tolerance !== undefined) {
      throw new UsageError("--tolerance applies to stress results; a conformance comparison is case by case");
    }
    const changes = compareConformance(baseline.conformance, current.conformance);
    console.log(renderConformanceComparisonText(changes, color ? ANSI : PLAIN));
    writeOutputFiles([
      { flag: "markdown", file: values.markdown, render: () => renderConformanceComparisonMarkdown(changes) },
      { flag: "json", file: values.json, render: () => JSON.stringify(changes, null, 2) + "\n" },
    ]);
    return changes.worse > 0 ? 1 : 0;
  }
  const comparison = compareResults(baseline.result, current.result, { tolerancePercent });
  console.log(renderComparisonText(comparison, color ? ANSI : PLAIN));
  writeOutputFiles([
    { flag: "markdown", file: values.markdown, render: () => renderComparisonMarkdown(comparison) },
    { flag: "json", file: values.json, render: () => JSON.stringify(comparison, null, 2) + "\n" },
  ]);
  return comparison.regressed > 0 ? 1 : 0;
}
