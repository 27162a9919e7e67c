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
 * node src/bin/serve.ts --port 8080 --deflate
 * deno run -A src/bin/serve.ts
 * bun src/bin/serve.ts --host 127.0.0.2
 * node src/bin/serve.ts --rate-limit 100 --burst 20 --idle-timeout 30000 --require-auth --origin https://app.example.com
 * node src/bin/serve.ts --handshake-timeout 5000
 * ```
 *
 * Limits (see `HubOptions`): `--max-frame N` code units, `--rate-limit N`
 * frames/s per connection with `--burst N` (default: N), `--require-auth`,
 * `--origin URL` (repeatable allow-list), `--idle-timeout MS`,
 * `--max-buffered BYTES` per connection, `--max-channels N` per connection,
 * `--handshake-timeout MS` from accept to a complete upgrade request (10 s by
 * default; fixed on Bun, which refuses the flag).
 * Bad values, a port in use or a host not on this machine exit 2 with one
 * line naming the option, the port or the host.
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { currentRuntime } from "../host/runtime-adapters.ts";
import { type HubOptions, parseHubOptions } from "../model/hub-options.ts";

const fail = (message: string): never => {
  console.error(`serve: ${message}`);
  process.exit(2);
};

let parsed;
try {
  parsed = parseArgs({
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "0" },
      deflate: { type: "boolean", default: false },
      "ignore-stdin": { type: "boolean", default: false },
      "max-frame": { type: "string" },
      "rate-limit": { type: "string" },
      burst: { type: "string" },
      "require-auth": { type: "boolean" },
      origin: { type: "string", multiple: true },
      "idle-timeout": { type: "string" },
      "max-buffered": { type: "string" },
      "max-channels": { type: "string" },
      "handshake-timeout": { type: "string" },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const values = parsed!.values;

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer from 0 to 65535, got "${values.port}"`);

/** a flag's number, or undefined when absent; the schema judges its range */
const num = (flag: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && raw.trim() !== "" ? n : fail(`--${flag} must be a number, got "${raw}"`);
};
const rate = num("rate-limit", values["rate-limit"]);
if (rate === undefined && values.burst !== undefined) fail("--burst needs --rate-limit");
const flagOf: Record<string, string> = {
  maxFrameBytes: "--max-frame",
  "rateLimit.perSecond": "--rate-limit",
  "rateLimit.burst": "--burst",
  idleTimeoutMs: "--idle-timeout",
  maxBufferedBytes: "--max-buffered",
  maxChannelsPerPeer: "--max-channels",
  allowedOrigins: "--origin",
  handshakeTimeoutMs: "--handshake-timeout",
};
let hub: HubOptions = {};
try {
  hub = parseHubOptions({
    maxFrameBytes: num("max-frame", values["max-frame"]),
    rateLimit: rate === undefined ? undefined : { perSecond: rate, burst: num("burst", values.burst) ?? Math.max(1, Math.ceil(rate)) },
    requireAuth: values["require-auth"],
    allowedOrigins: values.origin,
    idleTimeoutMs: num("idle-timeout", values["idle-timeout"]),
    maxBufferedBytes: num("max-buffered", values["max-buffered"]),
    maxChannelsPerPeer: num("max-channels", values["max-channels"]),
    handshakeTimeoutMs: num("handshake-timeout", values["handshake-timeout"]),
  });
} catch (error) {
  const issues = (error as { issues?: Array<{ message: string; path?: Array<{ key: unknown }> }> }).issues ?? [];
  const where = (i: (typeof issues)[number]): string => i.path?.map((p) => String(p.key)).join(".") ?? "";
  fail(issues.map((i) => `${flagOf[where(i)] ?? flagOf[String(i.path?.[0]?.key)] ?? "option"} (${where(i)}): ${i.message}`).join("; "));
}

/** Why the address cannot be had, in one line, for the errors that are the user's to fix (exit 2). */
function listenRefusal(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (code === "EADDRINUSE") return `port ${port} on ${values.host} is in use; choose another --port, or --port 0 for any free one`;
  if (code === "EACCES") return `port ${port} on ${values.host} needs privileges this process lacks; choose a port above 1023`;
  if (code === "EADDRNOTAVAIL") return `--host ${values.host} is not an address of this machine`;
  // Deno's failed lookup carries no code
  if (code === "ENOTFOUND" || /failed to lookup address/.test((error as Error)?.message)) return `--host ${values.host} cannot be resolved`;
  return undefined;
}

const runtime = await currentRuntime();
let server;
try {
  server = await runtime.serve({ host: values.host, port, perMessageDeflate: values.deflate, hub });
} catch (error) {
  // a RangeError is an option this runtime cannot honour (Bun's fixed handshake deadline): bad input, not a crash
  const refusal = error instanceof RangeError ? error.message : listenRefusal(error);
  if (refusal === undefined) throw error;
  server = fail(refusal);
}

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
