/**
 * Checks, before any load starts, that every file the command was asked to
 * write can be written and destroys nothing it was given: a typo in a
 * directory, an output that is also an input (`merge a.json b.json --json
 * a.json`) or two outputs on one path (`--json F --jsonl F`) cost a usage
 * error (exit 2), not a finished run whose results or inputs are lost.
 */
import { accessSync, constants, lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.ts";

/**
 * The file `file` names once `.`, `..` and symlinks are resolved, also when it
 * does not exist yet (its directory's real path and its name) or is a link to
 * a file that does not exist yet: where a write through it lands.
 */
export function realTarget(file: string): string {
  let at = path.resolve(file);
  // the kernel's own bound on links followed in one lookup
  for (let hops = 0; hops < 40; hops++) {
    const dir = path.dirname(at);
    let realDir = dir;
    try {
      realDir = realpathSync(dir);
    } catch {
      // a directory that does not exist: the write fails on its own, and nothing there can be an input
    }
    at = path.join(realDir, path.basename(at));
    if (!quietly(() => lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink())) return at;
    at = path.resolve(realDir, readlinkSync(at));
  }
  return at;
}

/** Whether two paths name one file: the same real path, or (a hard link, a case-insensitive disk) the same inode. */
function sameFile(a: string, b: string): boolean {
  if (realTarget(a) === realTarget(b)) return true;
  const [sa, sb] = [a, b].map((f) => quietly(() => statSync(f, { throwIfNoEntry: false })));
  return sa !== undefined && sb !== undefined && sa.isFile() && sa.dev === sb.dev && sa.ino === sb.ino;
}

/** A file the command reads, named as the error will name it: `--ca`, `the shard`, `the baseline`. */
export type InputFile = { role: string; file: string };

/**
 * `outputs` maps a flag (without dashes) to the path it was given; `inputs`
 * are the files the command reads. Refuses (exit 2) an output that is an input
 * or another output, sits in a directory that does not exist or cannot be
 * written, is a directory, or is a read-only file.
 */
export function checkOutputPaths(outputs: Record<string, string | undefined>, inputs: readonly InputFile[] = []): void {
  const given = Object.entries(outputs).filter((entry): entry is [string, string] => entry[1] !== undefined);
  for (const [i, [flag, file]] of given.entries()) {
    if (file.trim() === "") throw new UsageError(`--${flag} needs a file name`);
    const dir = path.dirname(path.resolve(file));
    const dirStat = statSync(dir, { throwIfNoEntry: false });
    if (dirStat === undefined || !dirStat.isDirectory()) throw new UsageError(`--${flag} ${file}: the directory ${dir} does not exist`);
    let stat;
    try {
      stat = statSync(file, { throwIfNoEntry: false });
    } catch (error) {
      throw new UsageError(`--${flag} ${file}: cannot write it (${(error as { code?: string }).code ?? (error as Error).message})`);
    }
    if (stat?.isDirectory()) throw new UsageError(`--${flag} ${file} is a directory; give a file name`);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new UsageError(`--${flag} ${file}: the directory ${dir} is not writable`);
    }
    // replacing it by rename would succeed where writing it would not: keep the protection its mode asks for
    if (stat?.isFile() && !writable(file)) throw new UsageError(`--${flag} ${file} is read-only; make it writable or choose another file`);
    for (const input of inputs) {
      if (sameFile(file, input.file)) {
        const why = `is the same file as ${input.role} ${input.file}: writing it would destroy it; choose another file`;
        throw new UsageError(`--${flag} ${file} ${why}`);
      }
    }
    for (const [otherFlag, other] of given.slice(0, i)) {
      if (sameFile(file, other)) {
        throw new UsageError(`--${otherFlag} ${other} and --${flag} ${file} are the same file; give each output its own`);
      }
    }
  }
}

/** `read()`, or undefined when the path cannot be looked at (ENOTDIR, ELOOP): reading it will say so in its own words. */
function quietly<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
