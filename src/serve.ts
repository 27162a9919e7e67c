/**
 * @module
 * Starts the reference server on the runtime running this file and prints
 * one line of JSON once it listens:
 * `{"url":"ws://127.0.0.1:PORT/","runtime":"node","perMessageDeflate":true,"pid":123}`.
 * It stops cleanly on SIGTERM, SIGINT, or when its stdin closes, so a parent
 * that dies does not leave it running: spawn it with a piped stdin (the
 * default of `child_process.spawn`), or pass `--ignore-stdin`.
 *
 * @example
 * ```sh
 * node src/serve.ts --port 8080 --deflate
 * deno run -A src/serve.ts
 * bun src/serve.ts --host 127.0.0.2
 * ```
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { currentRuntime } from "./adapters/current.ts";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
    deflate: { type: "boolean", default: false },
    "ignore-stdin": { type: "boolean", default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  process.exit(2);
}

const runtime = await currentRuntime();
const server = await runtime.serve({ host: values.host, port, perMessageDeflate: values.deflate });

const signals = ["SIGTERM", "SIGINT"] as const;
let stopping = false;
const shutdown = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  for (const signal of signals) process.off(signal, shutdown);
  process.stdin.off("end", shutdown);
  process.stdin.off("close", shutdown);
  // stdin is only watched, never read: let go of it so nothing holds the process open
  // (Deno keeps a pending read alive through destroy() alone; pause() cancels it)
  process.stdin.pause();
  process.stdin.destroy();
  await server.stop();
};

for (const signal of signals) process.on(signal, shutdown);
if (!values["ignore-stdin"]) {
  process.stdin.on("end", shutdown);
  process.stdin.on("close", shutdown);
  process.stdin.resume();
}

console.log(JSON.stringify({ url: server.url, runtime: runtime.name, perMessageDeflate: server.perMessageDeflate, pid: process.pid }));
