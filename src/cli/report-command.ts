/**
 * `wsstress report FILE.jsonl`: rebuilds the full result from a `--jsonl`
 * stream (verdicts and analysis recomputed, the document validated) and
 * writes any report from it; a stream cut short by a crash or Ctrl-C gives
 * a partial result with every suite it finished. A `--json` result document
 * is accepted too, to render it again (e.g. as HTML).
 */
import { rebuildResult } from "../report/jsonl.ts";
import { createReport } from "../report/run-report.ts";
import type { Result } from "../model/result.ts";
import { VERSION } from "../model/version.ts";
import { jsonlFromText, readText, resultFromText } from "./_read.ts";
import {
  type Flag,
  flagRows,
  HELP_FLAG,
  HTML_FLAG,
  MARKDOWN_FLAG,
  NO_COLOR_FLAG,
  parseFlags,
  positionals,
  PROMETHEUS_FLAG,
  QUIET_FLAG,
  wantsColor,
} from "./_subcommand.ts";
import { UsageError } from "./errors.ts";
import { checkOutputPaths } from "./output-paths.ts";
import { writeOutputs } from "./outputs.ts";

const FLAGS = {
  json: { type: "string", value: "FILE", help: "write the rebuilt result document (validated against the schema) to FILE" },
  markdown: MARKDOWN_FLAG,
  html: HTML_FLAG,
  prometheus: PROMETHEUS_FLAG,
  level: { type: "string", value: "L", help: "the level whose latency distributions the HTML shows first (default: the highest)" },
  quiet: QUIET_FLAG,
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function reportHelp(): string {
  return [
    `wsstress ${VERSION} report: full reports from a --jsonl stream (or a --json result)`,
    "",
    "Usage: wsstress report FILE.jsonl [--html out.html] [--markdown out.md] [--json out.json]",
    "",
    "Rebuilds the result document from the lines a run wrote with --jsonl: every suite",
    "and level as written, verdicts, degradation, bottleneck and recommendations",
    "recomputed, the document validated against the schema. A stream without its last",
    "line (a crash, Ctrl-C) gives a partial result holding every suite it finished.",
    "Prints the terminal report, and writes the files asked for.",
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 done, 2 bad input (a missing or invalid file, a bad flag, an output that",
    "is the input or another output).",
  ].join("\n");
}

/** A stream's first line is a JSON object with a `type`; anything else is taken for a result document. */
async function load(file: string): Promise<Result> {
  const text = await readText(file);
  const first = tryParse(text.trimStart().split("\n", 1)[0]);
  if (!(first !== null && typeof first === "object" && "type" in first)) return resultFromText(file, text);
  const { lines, warnings } = jsonlFromText(file, text);
  for (const w of warnings) console.error(`wsstress: ${file}: ${w}`);
  let result: Result;
  try {
    result = rebuildResult(lines);
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  if (!lines.some((l) => l.type === "run-end")) {
    const suites = result.levels.reduce((n, l) => n + l.suites.length, 0);
    console.error(`wsstress: ${file} has no run-end line: the run stopped early; the report holds the ${suites} suites it finished`);
  }
  return result;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: given } = parseFlags("report", argv, FLAGS);
  if (values.help) return void console.log(reportHelp()), 0;
  const [file] = positionals("report", given, ["FILE.jsonl"]);
  const outputs = { json: values.json, markdown: values.markdown, html: values.html, prometheus: values.prometheus };
  checkOutputPaths(outputs, [{ role: "the input", file }]);
  const result = await load(file);
  const names = result.levels.map((l) => l.level.name);
  if (values.level !== undefined && !names.includes(values.level)) {
    throw new UsageError(`--level "${values.level}" is not in ${file}; it holds: ${names.join(", ") || "no level"}`);
  }
  const color = wantsColor(values["no-color"]);
  if (!values.quiet) console.log(createReport(result).terminal({ color }));
  writeOutputs(result, { ...outputs, htmlLevel: values.level });
  return 0;
}
