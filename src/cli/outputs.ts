/**
 * The report files a run, `wsstress merge` or `wsstress report` writes: JSON,
 * markdown, HTML and Prometheus text (and a run's alerting rules), each only
 * when asked for, each whole (see write-whole.ts). The JSON is validated again right before it is
 * written, so nothing invalid ever reaches a file.
 */
import { createReport } from "../report/run-report.ts";
import { parseResult, type Result, type SuiteName, type Threshold } from "../model/result.ts";
import { type Diverted, writeOutputFiles } from "./write-whole.ts";
import { alertRules, judgedByPlan, renderAlertRules } from "../report/alert-rules.ts";

export type OutputFiles = {
  json?: string;
  markdown?: string;
  html?: string;
  prometheus?: string;
  /** Prometheus alerting rules from the thresholds the plan ran with */
  alertRules?: string;
  /** the level whose distributions the HTML shows first */
  htmlLevel?: string;
};

/** Writes the files asked for; an aborted result goes beside any file that already holds something (returned). */
export function writeOutputs(result: Result, files: OutputFiles): Diverted[] {
  const report = createReport(result);
  return writeOutputFiles([
    { flag: "json", file: files.json, render: () => JSON.stringify(parseResult(result), null, 2) + "\n" },
    { flag: "markdown", file: files.markdown, render: () => report.markdown() },
    { flag: "html", file: files.html, render: () => report.html({ level: files.htmlLevel }) },
    { flag: "prometheus", file: files.prometheus, render: () => report.prometheus() },
    { flag: "alert-rules", file: files.alertRules, render: () => rulesInForce(result.plan.suites, result.plan.thresholds) },
  ], { aborted: result.status === "aborted" });
}

/** The rules of the thresholds in force for these suites: the overrides over the defaults. */
export function rulesInForce(suites: readonly SuiteName[], thresholds: Readonly<Partial<Record<string, Threshold>>>): string {
  const overrides = Object.fromEntries(Object.entries(thresholds).filter((e): e is [string, Threshold] => e[1] !== undefined));
  const n = Object.keys(overrides).length;
  const source = n === 0 ? "the default thresholds" : `the default thresholds with ${n} override${n === 1 ? "" : "s"}`;
  return renderAlertRules(alertRules(judgedByPlan(suites, overrides)), source);
}
