/**
 * Finds the executable of each runtime for the runtime matrix, in this
 * order: a path the caller gave; the pinned one `npm install` put in
 * `node_modules/.bin` (looked up from wsstress's own package root upwards,
 * so the working directory does not matter and a project that depends on
 * wsstress finds its own); the one on `PATH`; and, for the runtime we run
 * on, our own executable.
 *
 * @example
 * ```ts
 * import { resolveRuntimes } from "./executables.ts";
 * const [bun] = await resolveRuntimes(["bun"], { bun: "/opt/bun/bin/bun" });
 * console.log(bun); // { name: "bun", executable: "/opt/bun/bin/bun", version: "1.4.5" }
 * ```
 */
import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { RuntimeName } from "../model/runtime-contract.ts";
import { detectRuntime } from "./system-info.ts";

export type RuntimeExecutable = { name: RuntimeName; executable: string; version: string };

// a JSR install runs from an https: URL: then the user's project (the working directory) is where to look
const OWN_ROOT = new URL("../../", import.meta.url);
const PACKAGE_ROOT = OWN_ROOT.protocol === "file:" ? fileURLToPath(OWN_ROOT) : process.cwd();
const WINDOWS = process.platform === "win32";

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function names(runtime: RuntimeName): string[] {
  return WINDOWS ? [`${runtime}.exe`, `${runtime}.cmd`, runtime] : [runtime];
}

/** `node_modules/.bin/<runtime>` in the package root or any folder above it. */
function pinned(runtime: RuntimeName): string | undefined {
  for (let dir = PACKAGE_ROOT;; dir = path.dirname(dir)) {
    for (const name of names(runtime)) {
      const file = path.join(dir, "node_modules", ".bin", name);
      if (isExecutable(file)) return file;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function onPath(runtime: RuntimeName): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    for (const name of names(runtime)) {
      const file = path.join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

/** Where `runtime`'s executable is, or undefined when none is found. */
export function findExecutable(runtime: RuntimeName, given?: string): string | undefined {
  if (given !== undefined) return given;
  return pinned(runtime) ?? onPath(runtime) ?? (detectRuntime() === runtime ? process.execPath : undefined);
}

/** `node --version` says v24.21.0, `deno --version` "deno 2.9.6 (…)", `bun --version` 1.4.5. */
function askVersion(executable: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(executable, ["--version"], { timeout: 30_000 }, (error, stdout) => {
      if (error) return reject(error);
      const match = /(\d+\.\d+\.\d+[\w.+-]*)/.exec(stdout);
      if (!match) return reject(new Error(`printed ${JSON.stringify(stdout.slice(0, 100))} for --version`));
      resolve(match[1]);
    });
  });
}

/**
 * The executable and version of each runtime; throws a RangeError naming the
 * runtimes it cannot run and how to point at them.
 */
export async function resolveRuntimes(
  runtimes: readonly RuntimeName[],
  given: Partial<Record<RuntimeName, string>> = {},
): Promise<RuntimeExecutable[]> {
  return Promise.all(
    runtimes.map(async (name) => {
      const executable = findExecutable(name, given[name]);
      if (executable === undefined) {
        throw new RangeError(
          `no ${name} executable found in node_modules/.bin (run npm install) or on PATH; give its path with --${name} PATH (or .executables({ ${name}: PATH }) in a script)`,
        );
      }
      try {
        return { name, executable, version: await askVersion(executable) };
      } catch (error) {
        throw new RangeError(
          `cannot run ${name} at ${executable}: ${
            (error as Error).message.split("\n")[0]
          }; give another path with --${name} PATH (or .executables({ ${name}: PATH }))`,
        );
      }
    }),
  );
}
