/**
 * Starts the reference server (`src/bin/serve.ts`) in a child process of the
 * runtime we run on, so the server never shares an event loop (or a core's
 * worth of CPU) with the load generator. `node:child_process` works on Node,
 * Deno and Bun. https://nodejs.org/api/child_process.html
 */
import { spawn } from "node:child_process";
import type { RuntimeName, ServerProcess } from "../model/runtime-contract.ts";
import { ENTRY_SCRIPTS } from "./script-paths.ts";

/**
 * How to run a TS file on each runtime: with the executable we run on by
 * default, or another one (the runtime matrix runs a Bun server from Node).
 */
export function runtimeCommand(
  runtime: RuntimeName,
  script: string,
  executable: string = process.execPath,
): { command: string; args: string[] } {
  if (runtime === "deno") return { command: executable, args: ["run", "-A", script] };
  return { command: executable, args: [script] };
}

export function startServerProcess(
  runtime: RuntimeName,
  options: {
    perMessageDeflate: boolean;
    timeoutMs: number;
    host?: string;
    executable?: string;
    /** a fixed port (default: any free one) */
    port?: number;
    /** more flags for `src/bin/serve.ts` (hub limits) */
    extraArgs?: string[];
    /** called if the server exits after it started, with its exit code (or the signal that ended it) */
    onExit?: (code: number | null, signal: string | null) => void;
  },
): Promise<ServerProcess> {
  const { command, args } = runtimeCommand(runtime, ENTRY_SCRIPTS.serve, options.executable);
  const flags = [
    `--host=${options.host ?? "127.0.0.1"}`,
    ...(options.port !== undefined ? [`--port=${options.port}`] : []),
    ...(options.perMessageDeflate ? ["--deflate"] : []),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(command, [...args, ...flags], {
    // stdin stays open as a lifeline: the server exits when we go away
    stdio: ["pipe", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));

  return new Promise((resolve, reject) => {
    let stdout = "";
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`the ${runtime} reference server did not start: ${why}${stderr ? `\n${stderr.trim()}` : ""}`));
    };
    const timer = setTimeout(() => fail(`no address within ${options.timeoutMs} ms`), options.timeoutMs);
    child.once("error", (error) => fail(error.message));
    const exitedEarly = (code: number | null): void => fail(`exited with code ${code}`);
    child.once("exit", exitedEarly);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = stdout.indexOf("\n");
      if (line < 0) return;
      clearTimeout(timer);
      child.off("exit", exitedEarly);
      if (options.onExit) child.once("exit", options.onExit);
      let info: { url: string; runtime: string; perMessageDeflate: boolean; pid: number };
      try {
        info = JSON.parse(stdout.slice(0, line));
      } catch {
        return fail(`printed ${JSON.stringify(stdout.slice(0, 200))} instead of its address`);
      }
      resolve({
        ...info,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGTERM");
          const timeout = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(timeout);
        },
      });
    });
  });
}
