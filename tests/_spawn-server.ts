/**
 * A server of someone else's started as a separate process: it prints one
 * line with its URL (JSON `{"url":…}` or the bare URL) and exits when its
 * stdin closes or it is killed. Used for the fixture echo server and the
 * example servers.
 */
import { spawn } from "node:child_process";

export type Spawned = { url: string; stop(): Promise<void>; output(): string };

export function spawnServer(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Spawned> {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (err = (err + c).slice(-4000)));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} printed no URL within ${options.timeoutMs ?? 30_000} ms\n${out}\n${err}`));
    }, options.timeoutMs ?? 30_000);
    const early = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited with ${code} before printing its URL\n${out}\n${err}`));
    };
    child.once("exit", early);
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const match = /wss?:\/\/[^\s"]+/.exec(out);
      if (!match || !out.includes("\n")) return;
      clearTimeout(timer);
      child.off("exit", early);
      resolve({ url: match[0], stop, output: () => out + err });
    });
  });
}
