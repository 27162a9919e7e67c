/**
 * How every file the CLI writes lands on disk: whole or not at all. Each is
 * written to a temporary file beside it and renamed over it once complete, so
 * a crash, a kill or a full disk leaves either the old file or the new one,
 * never a truncated or half-replaced one. The writes are synchronous, so a
 * signal handler cannot run between a file's write and its rename.
 *
 * An aborted result (Ctrl-C, SIGTERM) never replaces a file that already
 * holds something: it goes beside it, `r.json` → `r.aborted.json`.
 */
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { realTarget } from "./output-paths.ts";

let temps = 0;

/** Writes `text` to `file` by temporary file and rename, keeping an existing file's mode and owner, and a symlink as a link. */
export function writeWhole(file: string, text: string): void {
  const target = realTarget(file);
  const old = statSync(target, { throwIfNoEntry: false });
  // a pipe or a device (`--json /dev/stdout`) is written as it is: there is nothing to replace
  if (old !== undefined && !old.isFile()) return void writeFileSync(target, text);
  const temp = `${target}.wsstress-${process.pid}-${++temps}.tmp`;
  try {
    const fd = openSync(temp, "wx", 0o666);
    try {
      if (old) keepOwnership(fd, old);
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function keepOwnership(fd: number, old: { mode: number; uid: number; gid: number }): void {
  fchmodSync(fd, old.mode & 0o7777);
  try {
    fchownSync(fd, old.uid, old.gid);
  } catch {
    // only root may give a file away; anyone else keeps their own
  }
}

/** `r.json` → `r.aborted.json`, `out` → `out.aborted` */
export function abortedSibling(file: string): string {
  const { dir, name, ext } = path.parse(file);
  return path.join(dir, `${name}.aborted${ext}`);
}

/** A file a command was asked for: the flag that named it, its path (none when not asked for) and how to render it. */
export type PendingOutput = { flag: string; file: string | undefined; render: () => string };

/** Where an output went when it did not go where it was asked for. */
export type Diverted = { flag: string; file: string; wroteTo: string };

/**
 * Renders every output first (an error writes nothing), then writes each
 * whole. With `aborted`, an output whose file already holds something goes to
 * its `.aborted` sibling instead; those are returned for the caller to name.
 */
export function writeOutputFiles(outputs: readonly PendingOutput[], { aborted = false } = {}): Diverted[] {
  const rendered = outputs.flatMap((o) => (o.file === undefined ? [] : [{ flag: o.flag, file: o.file, text: o.render() }]));
  const diverted: Diverted[] = [];
  for (const { flag, file, text } of rendered) {
    const old = aborted ? statSync(realTarget(file), { throwIfNoEntry: false }) : undefined;
    const wroteTo = old?.isFile() && old.size > 0 ? abortedSibling(file) : file;
    writeWhole(wroteTo, text);
    if (wroteTo !== file) diverted.push({ flag, file, wroteTo });
  }
  return diverted;
}

/** One line for stderr: which file was kept, and where the aborted output went instead. */
export function divertedLine(d: Diverted): string {
  return `wsstress: kept ${d.file}, which already existed; the aborted --${d.flag} output is in ${d.wroteTo}`;
}
