/**
 * `--jsonl FILE`: one JSON line per finished suite and level, appended as
 * each finishes. Writes are synchronous on purpose: a line is on disk before
 * the run moves on, so a crash, a kill or a second Ctrl-C keeps it. A few
 * lines per level cost nothing next to the load.
 *
 * A file that already holds lines is likely the only log of an earlier run
 * that crashed: it is refused unless `--force` says to replace it. Replaced,
 * not appended to: one stream is one run, and `wsstress report` rebuilds one
 * run from it.
 */
import { appendFileSync, statSync, writeFileSync } from "node:fs";
import type { ProgressListener } from "../model/progress-events.ts";
import { jsonlLine } from "../report/jsonl.ts";
import { UsageError } from "./errors.ts";

/** Creates or (with `force`) empties `file` now, so a path that cannot be written fails before any load starts. */
export function jsonlSink(file: string, { force = false } = {}): ProgressListener {
  const old = statSync(file, { throwIfNoEntry: false });
  if (old?.isFile() && old.size > 0 && !force) {
    const advice = "choose a new file, or add --force to replace it";
    throw new UsageError(`--jsonl ${file} already holds ${old.size} bytes (the log of an earlier run?); ${advice}`);
  }
  try {
    // a pipe or a device (/dev/stdout) is written as it is
    if (old === undefined || old.isFile()) writeFileSync(file, "");
  } catch (error) {
    throw new UsageError(`--jsonl ${file}: cannot write it (${(error as { code?: string }).code ?? (error as Error).message})`);
  }
  return (event) => {
    const line = jsonlLine(event);
    if (line) appendFileSync(file, JSON.stringify(line) + "\n");
  };
}
