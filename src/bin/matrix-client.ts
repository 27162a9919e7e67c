/**
 * @module
 * The client side of the runtime matrix, on its own: runs a plan against a
 * server that is already running and prints the result document (validated
 * against the schema) as one line of JSON on stdout. Progress goes to
 * stderr; with `--events` it is JSON lines the matrix reads (`measure-start`
 * at the first level, `suite-end`, and `measure-end` with this process's CPU
 * time over the levels and its peak memory).
 *
 * The plan is the `plan` of a result document (`stress()…plan()`), given
 * with `--plan JSON` or on stdin. Exit codes: 0 a result was printed (also
 * when interrupted: its status says so), 1 the run broke, 2 bad input.
 *
 * @example
 * ```sh
 * node src/bin/serve.ts &                                  # prints {"url":"ws://127.0.0.1:PORT/",…}
 * bun src/bin/matrix-client.ts --url ws://127.0.0.1:PORT/ < plan.json > result.json
 * deno run -A src/bin/matrix-client.ts --url ws://127.0.0.1:PORT/ --plan "$(cat plan.json)"
 * ```
 */
import process from "node:process";
import { parseArgs } from "node:util";
import * as v from "valibot";
import { currentPlatform } from "../host/host-platform.ts";
import { selfUsage } from "../host/process-usage.ts";
import { progressLine } from "../cli/progress-line.ts";
import { runPlan } from "../run/runner.ts";
import { checkTarget } from "../model/loopback-target.ts";
import type { ClientEvent } from "../model/progress-events.ts";
import { PLAIN } from "../report/format.ts";
import { parseResult, PlanSchema } from "../model/result.ts";

const HELP = `Usage: <runtime> src/bin/matrix-client.ts --url ws://HOST:PORT/ [--plan JSON | < plan.json] [--events] [--allow-remote]

Runs the plan against the server at --url (or the plan's target) and prints
the result document as JSON on stdout; progress goes to stderr.`;

async function readStdin(): Promise<string> {
  // one decoder for the whole stream, so a character split across chunks survives
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of process.stdin) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
  }
  return text + decoder.decode();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      plan: { type: "string" },
      url: { type: "string" },
      events: { type: "boolean", default: false },
      "allow-remote": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return void console.log(HELP), 0;
  const text = values.plan ?? (await readStdin());
  let plan;
  try {
    plan = v.parse(PlanSchema, JSON.parse(text));
  } catch (error) {
    console.error(`wsstress client: the plan is not valid: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const url = values.url ?? plan.target;
  if (url === undefined) {
    console.error(`wsstress client: give the server with --url, or a plan with a target\n\n${HELP}`);
    return 2;
  }
  try {
    plan = { ...plan, target: checkTarget(url, values["allow-remote"], "--url") };
  } catch (error) {
    console.error(`wsstress client: ${(error as Error).message}`);
    return 2;
  }

  const event = (e: ClientEvent): void => void process.stderr.write(JSON.stringify(e) + "\n");
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  let before = selfUsage();
  const result = await runPlan(plan, {
    platform: await currentPlatform(),
    signal: controller.signal,
    onProgress(e) {
      if (e.type === "level-start" && e.index === 0) {
        before = selfUsage();
        if (values.events) event({ event: "measure-start" });
      }
      if (values.events) {
        if (e.type === "suite-end") {
          const r = e.result;
          event({
            event: "suite-end",
            level: e.level.name,
            suite: r.suite,
            status: r.status,
            verdict: r.verdict,
            durationMs: r.durationMs,
          });
        }
        if (e.type === "run-end") {
          const after = selfUsage();
          event({ event: "measure-end", usage: { cpuMs: after.cpuMs - before.cpuMs, peakRssBytes: after.peakRssBytes } });
        }
      } else {
        const line = progressLine(e, PLAIN);
        if (line !== undefined) console.error(line);
      }
    },
  });
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  process.stdout.write(JSON.stringify(parseResult(result)) + "\n");
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`wsstress client: ${(error as Error)?.stack ?? error}`);
  process.exitCode = 1;
}
