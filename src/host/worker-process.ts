/**
 * Starts a load-generator worker (`src/bin/worker.ts`) as a child process of the
 * runtime we run on, and speaks to it in JSON lines over its stdin and
 * stdout. `node:child_process` works on Node, Deno and Bun.
 * https://nodejs.org/api/child_process.html
 */
import { spawn } from "node:child_process";
import type { RuntimeName, WorkerHandle } from "../model/runtime-contract.ts";
import { ENTRY_SCRIPTS } from "./script-paths.ts";
import { runtimeCommand } from "./server-process.ts";

export function startWorkerProcess(runtime: RuntimeName): Promise<WorkerHandle> {
  const { command, args } = runtimeCommand(runtime, ENTRY_SCRIPTS.worker);
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let onMessage: (message: unknown) => void = () => {};
  let onExit: (why: string) => void = () => {};
  let buffered = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() === "") continue;
      // a line that is not JSON goes on as text, and the runner's check of the message says what it was
      let message: unknown = line;
      try {
        message = JSON.parse(line);
      } catch { /* text */ }
      onMessage(message);
    }
  });
  child.once(
    "exit",
    (code, signal) => onExit(`exited with ${signal ?? `code ${code}`}${stderr ? `: ${stderr.trim().split("\n").at(-1)}` : ""}`),
  );
  // a write to a worker that just died must not take the runner down; the exit reports it
  child.stdin.on("error", () => {});

  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("spawn", () =>
      resolve({
        pid: child.pid ?? 0,
        send: (message) => void child.stdin.write(JSON.stringify(message) + "\n"),
        listen(message, exit) {
          onMessage = message;
          onExit = exit;
        },
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.stdin.end();
          const timeout = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(timeout);
        },
      }));
  });
}
