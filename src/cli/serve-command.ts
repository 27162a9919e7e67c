/**
 * `wsstress serve`: the reference server on its own, in a process of the
 * chosen runtime, until SIGINT or SIGTERM, so the tool can be pointed at it
 * (`--target`) from another process or machine and shards can share it.
 * Prints the server's URL on stdout as its first line, for scripts. Binding
 * to a host other than loopback needs `--allow-remote` and prints a warning:
 * the reference server has no authentication to speak of.
 */
import process from "node:process";
import { findExecutable } from "../host/executables.ts";
import { startServerProcess } from "../host/server-process.ts";
import { RUNTIME_NAMES } from "../model/runtime-contract.ts";
import { detectRuntime } from "../host/system-info.ts";
import type { ServerProcess } from "../model/runtime-contract.ts";
import { isLoopback } from "../model/loopback-target.ts";
import { VERSION } from "../model/version.ts";
import { type Flag, flagRows, HELP_FLAG, oneOf, parseFlags, positionals } from "./_subcommand.ts";
import { UsageError } from "./errors.ts";

const FLAGS = {
  runtime: { type: "string", value: "R", help: "the runtime the server runs on: node, deno or bun (default: the one running wsstress)" },
  host: { type: "string", value: "HOST", help: "the address to listen on (default 127.0.0.1); not loopback only with --allow-remote" },
  port: { type: "string", value: "N", help: "the port to listen on, 0 to 65535 (default 0: any free port)" },
  "allow-remote": { type: "boolean", help: "let --host be an address other machines can reach (prints a warning)" },
  deflate: { type: "boolean", help: "accept permessage-deflate" },
  "max-frame": { type: "string", value: "N", help: "largest frame in UTF-16 code units; bigger frames are refused" },
  "rate-limit": { type: "string", value: "N", help: "frames per second per connection (token bucket), with --burst N (default N)" },
  burst: { type: "string", value: "N", help: "the token bucket's size for --rate-limit" },
  "require-auth": { type: "boolean", help: "refuse every request of a connection that has not authenticated" },
  origin: { type: "string", multiple: true, value: "URL", help: "allow only handshakes from this Origin (repeatable)" },
  "idle-timeout": { type: "string", value: "MS", help: "close a connection that sent nothing for MS milliseconds" },
  "max-buffered": { type: "string", value: "BYTES", help: "close a connection whose unsent bytes pass BYTES (a slow reader)" },
  "max-channels": { type: "string", value: "N", help: "most channels one connection may subscribe to" },
  "handshake-timeout": { type: "string", value: "MS", help: "drop a connection not upgraded within MS ms of accept (default 10000)" },
  timeout: { type: "string", value: "MS", help: "how long the server may take to start (default 10000)" },
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

/** the flags handed on to `src/bin/serve.ts` unchanged, which checks them */
const HUB_FLAGS = ["max-frame", "rate-limit", "burst", "idle-timeout", "max-buffered", "max-channels", "handshake-timeout"] as const;

export function serveHelp(): string {
  return [
    `wsstress ${VERSION} serve: the reference server on its own, until stopped`,
    "",
    "Usage: wsstress serve [--runtime node|deno|bun] [--host 127.0.0.1] [--port N]",
    "",
    "Starts the reference server (the one wsstress embeds) in a process of the chosen",
    "runtime and prints its URL as the first line on stdout; point runs at it with",
    "--target URL, from other processes or, with --host and --allow-remote, from other",
    "machines (shards of one plan can share it). Stops on Ctrl-C (SIGINT) or SIGTERM.",
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 stopped by SIGINT or SIGTERM, 1 the server failed, 2 bad input (a port in use, a bad limit).",
  ].join("\n");
}

function portOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: given } = parseFlags("serve", argv, FLAGS);
  if (values.help) return void console.log(serveHelp()), 0;
  positionals("serve", given, []);
  const runtime = oneOf("runtime", values.runtime ?? detectRuntime(), RUNTIME_NAMES);
  const host = values.host ?? "127.0.0.1";
  if (!isLoopback(host) && !values["allow-remote"]) {
    throw new UsageError(`--host ${host} is not loopback: other machines could reach the server; say so with --allow-remote`);
  }
  const port = portOf(values.port);
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new UsageError(`--timeout must be a positive integer of milliseconds, got "${values.timeout}"`);
  }
  const executable = findExecutable(runtime);
  if (executable === undefined) throw new UsageError(`no ${runtime} executable found in node_modules/.bin or on PATH`);
  // `--flag=value`, one argument each: the child's parser would refuse a value that starts with a dash
  const extraArgs = [
    ...HUB_FLAGS.flatMap((f) => (values[f] !== undefined ? [`--${f}=${values[f]}`] : [])),
    ...(values["require-auth"] ? ["--require-auth"] : []),
    ...(values.origin ?? []).map((o) => `--origin=${o}`),
  ];

  let exited: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (exited = resolve));
  let stopping = false;
  let server: ServerProcess | undefined;
  // listening before the server starts, so a signal at any moment stops it cleanly
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (server) void server.stop();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    try {
      server = await startServerProcess(runtime, {
        perMessageDeflate: values.deflate ?? false,
        timeoutMs,
        host,
        port,
        executable,
        extraArgs,
        onExit: (code, signal) => {
          if (!stopping) console.error(`wsstress serve: the ${runtime} server exited on its own (${signal ?? `code ${code}`})`);
          exited(stopping ? 0 : 1);
        },
      });
    } catch (error) {
      const message = (error as Error).message;
      // src/bin/serve.ts exits 2 on a flag it refuses, and says why on stderr
      if (/exited with code 2/.test(message)) {
        throw new UsageError(message.split("\n").filter((l) => l.startsWith("serve:")).join("; ") || message);
      }
      throw error;
    }
    if (stopping) {
      await server.stop();
      return 0;
    }
    if (!isLoopback(host)) {
      console.error(`wsstress serve: WARNING: listening on ${host}: any machine that reaches this port can load the server`);
    }
    console.error(
      `wsstress serve: reference server on ${runtime} (pid ${server.pid}, permessage-deflate ${
        server.perMessageDeflate ? "on" : "off"
      }); stop with Ctrl-C or SIGTERM`,
    );
    console.log(server.url);
    return await stopped;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
