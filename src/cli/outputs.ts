/**
 * The report files a run or `wsstress report` writes: JSON, markdown, HTML
 * and Prometheus text, each only when asked for. The JSON is validated again
 * right before it is written, so nothing invalid ever reaches a file.
 */
import { writeFile } from "node:fs/promises";
import { createReport } from "../report/run-report.ts";
import { parseResult, type Result } from "../model/result.ts";

export type OutputFiles = {
  json?: string;
  markdown?: string;
  html?: string;
  prometheus?: string;
  /** the level whose distributions the HTML shows first */
  htmlLevel?: string;
};

export async function writeOutputs(result: Result, files: OutputFiles): Promise<void> {
  const report = createReport(result);
  const writes: Array<[string | undefined, () => string]> = [
    [files.json, () => JSON.stringify(parseResult(result), null, 2) + "\n"],
    [files.markdown, () => report.markdown()],
    [files.html, () => report.html({ level: files.htmlLevel })],
    [files.prometheus, () => report.prometheus()],
  ];
  for (const [file, render] of writes) if (file) await writeFile(file, render());
}
