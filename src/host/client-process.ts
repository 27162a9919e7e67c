/**
 * Runs a plan from a client process (`src/bin/matrix-client.ts`) on any runtime's
 * executable against a server that is already running, and reads back the
 * result document it prints. Its stderr carries JSON event lines
 * (`--events`); anything else there is kept for the error message should it
 * fail. https://nodejs.org/api/child_process.html
 */
import { spawn } from "node:child_process";
import type { RuntimeName } from "../model/runtime-contract.ts";
import * as v from "valibot";
import { type ClientEvent, ClientEventSchema } from "../model/progress-events.ts";
import { parseResult, type Plan, type Result } from "../model/result.ts";
import { ENTRY_SCRIPTS } from "./script-paths.ts";
import { runtimeCommand } from "./server-process.ts";

/** After an abort, how long the client gets to print what it finished before it is killed. */
const ABORT_GRACE_MS = 15_000;

export type ClientRun = { result: Result; events: ClientEvent[] };

/** An event line, checked against the schema; anything else (a runtime's warning, a line cut short) is log text. */
function asEvent(line: string): ClientEvent | undefined {
  if (!line.startsWith('{"event":')) return undefined;
  try {
    const parsed = v.safeParse(ClientEventSchema, JSON.parse(line));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

export function runClientProcess(
  runtime: RuntimeName,
  executable: string,
  url: string,
  plan: Plan,
  options: { signal?: AbortSignal; onEvent?(event: ClientEvent): void } = {},
): Promise<ClientRun> {
  const { command, args } = runtimeCommand(runtime, ENTRY_SCRIPTS.client, executable);
  const child = spawn(command, [...args, "--events", "--url", url, "--plan", JSON.stringify(plan)], { stdio: ["ignore", "pipe", "pipe"] });
  const events: ClientEvent[] = [];
  const chunks: string[] = [];
  let log = "";
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => chunks.push(chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const event = asEvent(line);
      if (event) {
        events.push(event);
        options.onEvent?.(event);
      } else if (line.trim() !== "") {
        log = (log + line + "\n").slice(-2000);
      }
    }
  });

  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = (): void => {
    child.kill("SIGINT");
    killTimer = setTimeout(() => child.kill("SIGKILL"), ABORT_GRACE_MS);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  return new Promise((resolve, reject) => {
    const fail = (why: string): void => reject(new Error(`the ${runtime} client ${why}${log ? `\n${(log + pending).trim()}` : ""}`));
    child.once("error", (error) => fail(`did not start: ${error.message}`));
    child.once("close", (code, signal) => {
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      const stdout = chunks.join("").trim();
      if (code !== 0 || stdout === "") {
        return fail(`exited with ${signal ? `signal ${signal}` : `code ${code}`}${stdout === "" ? " without a result" : ""}`);
      }
      try {
        resolve({ result: parseResult(JSON.parse(stdout)), events });
      } catch (error) {
        fail(`printed no valid result: ${(error as Error).message.slice(0, 500)}`);
      }
    });
  });
}
