/**
 * `--jsonl FILE`: one JSON line per finished suite and level, appended as
 * each finishes. Writes are synchronous on purpose: a line is on disk before
 * the run moves on, so a crash, a kill or a second Ctrl-C keeps it. A few
 * lines per level cost nothing next to the load.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import type { ProgressListener } from "../model/progress-events.ts";
import { jsonlLine } from "../report/jsonl.ts";
import { UsageError } from "./errors.ts";

/** Empties `file` now, so a path that cannot be written fails before any load starts. */
export function jsonlSink(file: string): ProgressListener {
  try {
    writeFileSync(file, "");
  } catch (error) {
    throw new UsageError(`--jsonl ${file}: cannot write it (${(error as { code?: string }).code ?? (error as Error).message})`);
  }
  return (event) => {
    const line = jsonlLine(event);
    if (line) appendFileSync(file, JSON.stringify(line) + "\n");
  };
}
