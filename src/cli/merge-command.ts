/**
 * `wsstress merge SHARD.json...`: joins the results of every shard of one
 * plan (`--shard i/n`) into one result, as if one generator had run it, and
 * writes it like a run does (`--json`, `--markdown`, `--html`, `--prometheus`).
 * Missing, duplicated or mixed shards, and shards of different plans, exit 2
 * with the files named.
 */
import { compareVerdicts } from "../analysis/verdicts.ts";
import { mergeShards } from "../run/merge-shards.ts";
import { createReport } from "../report/run-report.ts";
import { VERSION } from "../model/version.ts";
import { readResult } from "./_read.ts";
import {
  FAIL_ON_FLAG,
  type Flag,
  flagRows,
  HELP_FLAG,
  HTML_FLAG,
  MARKDOWN_FLAG,
  NO_COLOR_FLAG,
  oneOf,
  parseFlags,
  PROMETHEUS_FLAG,
  QUIET_FLAG,
  wantsColor,
} from "./_subcommand.ts";
import { UsageError } from "./errors.ts";
import { checkOutputPaths } from "./output-paths.ts";
import { writeOutputs } from "./outputs.ts";

const FLAGS = {
  json: { type: "string", value: "FILE", help: "write the merged result document (validated against the schema) to FILE" },
  markdown: MARKDOWN_FLAG,
  html: HTML_FLAG,
  prometheus: PROMETHEUS_FLAG,
  "fail-on": FAIL_ON_FLAG,
  quiet: QUIET_FLAG,
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function mergeHelp(): string {
  return [
    `wsstress ${VERSION} merge: one result from the shards of one plan`,
    "",
    "Usage: wsstress merge SHARD.json... [--json merged.json] [--html merged.html]",
    "",
    "Joins the --json results of every shard of one plan (runs with --shard 0/N … N-1/N)",
    "into one result: every count is the exact sum, rates are all operations over the",
    "union of the shards' spans, percentiles come from the merged histograms (never an",
    "average of percentiles), and verdicts, degradation and recommendations are",
    "recomputed. Levels and suites every shard finished are kept; a shard that stopped",
    "early makes the merge partial. Refused (exit 2): a missing shard, a shard given",
    "twice, shards of different N, shards of different plans, a result that is no shard,",
    "an output that is one of the shards or another output. Files are written whole.",
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 merged, 1 a verdict at or above --fail-on, 2 bad input.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: files } = parseFlags("merge", argv, FLAGS);
  if (values.help) return void console.log(mergeHelp()), 0;
  if (files.length === 0) {
    throw new UsageError(
      "merge needs the result files of every shard, e.g. wsstress merge shard-0.json shard-1.json shard-2.json --json merged.json",
    );
  }
  const failOn = oneOf("fail-on", values["fail-on"] ?? "never", ["fail", "warn", "never"] as const);
  const outputs = { json: values.json, markdown: values.markdown, html: values.html, prometheus: values.prometheus };
  checkOutputPaths(outputs, files.map((file) => ({ role: "the shard", file })));
  const shards = [];
  for (const file of files) shards.push({ name: file, result: await readResult(file) });
  const merged = mergeShards(shards);
  if (merged.status !== "complete") {
    const why = "a shard did not finish every level and suite, or a suite failed";
    console.error(`wsstress: merge is ${merged.status}: ${why}; kept the ${merged.levels.length} levels every shard finished`);
  }
  const color = wantsColor(values["no-color"]);
  if (!values.quiet) console.log(createReport(merged).terminal({ color }));
  writeOutputs(merged, outputs);
  if (failOn !== "never" && compareVerdicts(failOn, merged.verdict) >= 0) return 1;
  return 0;
}
