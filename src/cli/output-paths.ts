/**
 * Checks, before any load starts, that every file the run was asked to write
 * can be written: a typo in a directory must cost a usage error (exit 2), not
 * a finished run whose results are lost at the end.
 */
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.ts";

/** `files` maps a flag (without dashes) to the path it was given. */
export function checkOutputPaths(files: Record<string, string | undefined>): void {
  for (const [flag, file] of Object.entries(files)) {
    if (file === undefined) continue;
    if (file.trim() === "") throw new UsageError(`--${flag} needs a file name`);
    const dir = path.dirname(path.resolve(file));
    const dirStat = statSync(dir, { throwIfNoEntry: false });
    if (dirStat === undefined || !dirStat.isDirectory()) throw new UsageError(`--${flag} ${file}: the directory ${dir} does not exist`);
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--${flag} ${file} is a directory; give a file name`);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new UsageError(`--${flag} ${file}: the directory ${dir} is not writable`);
    }
  }
}
