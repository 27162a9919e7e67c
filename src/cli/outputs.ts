/**
 * The report files a run, `wsstress merge` or `wsstress report` writes: JSON,
 * markdown, HTML and Prometheus text, each only when asked for, each whole
 * (see write-whole.ts). The JSON is validated again right before it is
 * written, so nothing invalid ever reaches a file.
 */
import { createReport } from "../report/run-report.ts";
import { parseResult, type Result } from "../model/result.ts";
import { type Diverted, writeOutputFiles } from "./write-whole.ts";

export type OutputFiles = {
  json?: string;
  markdown?: string;
  html?: string;
  prometheus?: string;
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
  ], { aborted: result.status === "aborted" });
}
