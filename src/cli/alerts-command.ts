/**
 * `wsstress alerts [RESULT.json]`: Prometheus alerting rules from the
 * thresholds in force (the defaults, with any `--threshold` overrides), or
 * from those a result was judged by, so the figures a run exports alert in
 * production as they are judged here. Printed, or written whole to a file.
 */
import process from "node:process";
import { alertRules, judgedByResult, renderAlertRules } from "../report/alert-rules.ts";
import { inputError } from "../model/input-error.ts";
import { SUITE_NAMES } from "../model/result.ts";
import { VERSION } from "../model/version.ts";
import { readResult } from "./_read.ts";
import { ALERT_RULES_FLAG, type Flag, flagRows, HELP_FLAG, parseFlags, positionals } from "./_subcommand.ts";
import { checkOutputPaths } from "./output-paths.ts";
import { rulesInForce } from "./outputs.ts";
import { PLAN_FLAGS, planInputOf } from "./run-flags.ts";
import { writeOutputFiles } from "./write-whole.ts";

const FLAGS = {
  threshold: PLAN_FLAGS.threshold,
  suite: { ...PLAN_FLAGS.suite, help: `rules for this suite's metrics only (repeatable; default all): ${SUITE_NAMES.join(", ")}` },
  "alert-rules": { ...ALERT_RULES_FLAG, help: "write the rules to FILE (whole, never half a file) instead of printing them" },
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function alertsHelp(): string {
  return [
    `wsstress ${VERSION} alerts: Prometheus alerting rules from the thresholds`,
    "",
    "Usage: wsstress alerts [RESULT.json] [--threshold ID=E,G]... [--suite S]... [--alert-rules FILE]",
    "",
    "One rule per judged metric, over the series --prometheus exports: the ❌ bound as the",
    "expression (severity critical) and, where the metric has one, the ⚠️ band (severity",
    "warning); labels and annotations name the suite, the layer and the unit, the level",
    "comes from the series. Without RESULT.json, the thresholds in force: the defaults",
    "with any --threshold overrides; with it, the thresholds that result was judged by.",
    "A run writes the same with --alert-rules FILE. Check them with promtool check rules.",
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 written, 2 bad input (a missing or invalid result, a bad flag, an output that is the input).",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: given } = parseFlags("alerts", argv, FLAGS);
  if (values.help) return void console.log(alertsHelp()), 0;
  const [file] = positionals("alerts", given, given.length > 0 ? ["RESULT.json"] : []);
  const input = planInputOf({ threshold: values.threshold, suite: values.suite });
  // no --scenario here: the suites in force are the ones named, or the six
  const suites = input.suites ?? SUITE_NAMES;
  const out = values["alert-rules"];
  checkOutputPaths({ "alert-rules": out }, file === undefined ? [] : [{ role: "the input", file }]);
  let text: string;
  if (file === undefined) {
    text = rulesInForce(suites, input.thresholds ?? {});
  } else {
    if (values.threshold !== undefined) {
      const allowed = "--threshold without RESULT.json, for the thresholds in force";
      throw inputError("--threshold", `${file} holds the thresholds it was judged by`, allowed);
    }
    const judged = judgedByResult(await readResult(file)).filter((j) => values.suite === undefined || suites.includes(j.suite as never));
    text = renderAlertRules(alertRules(judged), `the thresholds ${file} was judged by`);
  }
  if (out === undefined) process.stdout.write(text);
  else writeOutputFiles([{ flag: "alert-rules", file: out, render: () => text }]);
  return 0;
}
