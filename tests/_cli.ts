/**
 * `src/bin/cli.ts` spawned as a child process on the runtime the test runs
 * under, as a user would start it; killed after a deadline so nothing hangs.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { parseResult, type Result } from "../src/model/result.ts";

export const runtime = detectRuntime();
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = fileURLToPath(new URL("../src/bin/cli.ts", import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string; timedOut: boolean };

export function runCli(args: string[], timeoutMs = 30_000, cwd = ROOT): Promise<CliRun> {
  const { command, args: prefix } = runtimeCommand(runtime, CLI);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** The exit code, with the output in the failure message so a broken run explains itself. */
export function assertExit(run: CliRun, expected: number): void {
  assert.equal(run.timedOut, false, `wsstress did not finish in time\nstderr:\n${run.stderr}`);
  assert.equal(
    run.code,
    expected,
    `exit code ${run.code}, expected ${expected}\nstderr:\n${run.stderr}\nstdout:\n${run.stdout.slice(0, 2000)}`,
  );
}

/** Runs the CLI with `--json` into a scratch file and reads the result document back through the schema. */
export async function runCliResult(args: string[], timeoutMs = 60_000): Promise<{ run: CliRun; result: Result }> {
  const dir = mkdtempSync(join(tmpdir(), "wsstress-cli-"));
  try {
    const file = join(dir, "result.json");
    const run = await runCli([...args, "--json", file, "--no-color"], timeoutMs);
    assert.ok(existsSync(file), `no result written\nstderr:\n${run.stderr}`);
    return { run, result: parseResult(JSON.parse(readFileSync(file, "utf8"))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
