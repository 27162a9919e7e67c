/**
 * `wsstress serve` as a child process on the runtime the test runs under:
 * started, its URL read from the first line of its stdout, stopped with a
 * signal; killed after a deadline so nothing outlives the test.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "../src/host/server-process.ts";
import { runtime } from "./_cli.ts";

const CLI = fileURLToPath(new URL("../src/bin/cli.ts", import.meta.url));

export type Served = {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** sends `signal` and resolves how the command ended */
  stop(signal?: "SIGTERM" | "SIGINT" | "SIGKILL"): Promise<{ code: number | null; signal: string | null }>;
};

export function startServe(args: string[] = [], timeoutMs = 30_000): Promise<Served> {
  const { command, args: prefix } = runtimeCommand(runtime, CLI);
  const child = spawn(command, [...prefix, "serve", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal }))
  );
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  // the last resort: a test that fails part-way must not leave a server behind
  const deadline = setTimeout(() => child.kill("SIGKILL"), 10 * 60_000);
  deadline.unref?.();
  void ended.then(() => clearTimeout(deadline));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`wsstress serve printed no URL within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    void ended.then(({ code }) => reject(new Error(`wsstress serve exited with ${code} before printing its URL\n${stderr}`)));
    // serve writes its stderr line before its URL; wait for both, as the pipes deliver them apart
    const ready = (): void => {
      const line = stdout.indexOf("\n");
      if (line < 0 || !stderr.includes("\n")) return;
      clearTimeout(timer);
      resolve({
        url: stdout.slice(0, line).trim(),
        child,
        stderr: () => stderr,
        async stop(signal = "SIGTERM") {
          // process.kill rather than child.kill: Deno's child_process reports a child it killed itself as signalled
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
          return ended;
        },
      });
    };
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      ready();
    });
    child.stderr!.on("data", ready);
  });
}
