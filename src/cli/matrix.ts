/**
 * `wsstress matrix`: the same plan on every server × client pairing of
 * Node, Deno and Bun, each side in its own process, interleaved over rounds,
 * compared metric by metric. Bad input is a `UsageError` (exit 2) naming what
 * is allowed.
 */
import process from "node:process";
import { stress } from "../core/builder.ts";
import { LEVEL_NAMES, type LevelName } from "../core/levels.ts";
import type { RuntimeName } from "../core/runtime.ts";
import { DEFAULT_ROUNDS } from "../matrix/builder.ts";
import type { MatrixProgressEvent } from "../matrix/platform.ts";
import { parseMatrix, MATRIX_RUNTIMES } from "../matrix/schema.ts";
import { ANSI, formatDuration, mark, PLAIN, type Style } from "../report/format.ts";
import { type Flag, flagRows, HELP_FLAG, NO_COLOR_FLAG, parseFlags } from "./_subcommand.ts";
import { SUITE_NAMES, type SuiteName } from "../report/schema.ts";
import { VERSION } from "../version.ts";
import { UsageError } from "./errors.ts";
import { checkOutputPaths } from "./output-paths.ts";
import { divertedLine, writeOutputFiles } from "./write-whole.ts";

/** Three runs of every pairing of every suite at this level take minutes, not hours. */
export const DEFAULT_MATRIX_LEVEL: LevelName = "light";


const RUNTIMES = MATRIX_RUNTIMES.join(",");

export const MATRIX_FLAGS = {
  servers: { type: "string", multiple: true, value: "LIST", help: `server runtimes, comma-separated (default ${RUNTIMES})` },
  clients: { type: "string", multiple: true, value: "LIST", help: `client runtimes, comma-separated (default ${RUNTIMES})` },
  level: { type: "string", multiple: true, value: "L", help: `run this level (repeatable; default ${DEFAULT_MATRIX_LEVEL}): ${LEVEL_NAMES.join(", ")}` },
  suite: { type: "string", multiple: true, value: "S", help: `run this suite (repeatable; default all): ${SUITE_NAMES.join(", ")}` },
  rounds: { type: "string", value: "N", help: `interleaved rounds of every pairing; medians and spreads are taken over them (default ${DEFAULT_ROUNDS})` },
  json: { type: "string", value: "FILE", help: "write the matrix document (validated against its schema) to FILE" },
  markdown: { type: "string", value: "FILE", help: "write the markdown comparison to FILE" },
  html: { type: "string", value: "FILE", help: "write the comparison as one self-contained HTML page to FILE" },
  node: { type: "string", value: "PATH", help: "the node executable (default: node_modules/.bin, then PATH)" },
  deno: { type: "string", value: "PATH", help: "the deno executable (default: node_modules/.bin, then PATH)" },
  bun: { type: "string", value: "PATH", help: "the bun executable (default: node_modules/.bin, then PATH)" },
  window: { type: "string", value: "N", help: "messages in flight per connection in the message, subscription and permission suites (default 1)" },
  timeout: { type: "string", value: "MS", help: "upper bound on any single wait: a handshake, a silence with no reply on any connection, a drain (default 10000)" },
  "no-warmup": { type: "boolean", help: "skip each client's untimed warm-up pass" },
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function matrixHelp(): string {
  const rows = flagRows(MATRIX_FLAGS);
  return [
    `wsstress ${VERSION} matrix: compare runtimes, the same plan on every server × client pairing`,
    "",
    "Usage: wsstress matrix [--servers node,deno,bun] [--clients node,deno,bun] [--level L] [--suite S] [--rounds N]",
    "",
    "Each run starts a fresh reference server and a fresh load client, each in its own",
    "process on its own runtime; pairings run interleaved (A B C A B C …) for --rounds",
    "rounds. Every metric gets the median and the spread (max − min) per pairing;",
    "pairings whose ranges overlap tie (the difference is within the noise), so a",
    "win means every round of the winner beat every round of the other; ratios say",
    "how far ahead the leader is. Ctrl-C writes every finished run (status aborted), but",
    "never over a file that exists: r.json is kept and the matrix goes to r.aborted.json.",
    "",
    "Flags:",
    ...rows,
    "",
    "Exit codes: 0 done, 1 a pairing failed, 2 bad input, 130 interrupted.",
  ].join("\n");
}

export type MatrixCliOptions = {
  help: boolean;
  servers: RuntimeName[];
  clients: RuntimeName[];
  levels: LevelName[];
  suites: SuiteName[];
  rounds: number;
  json?: string;
  markdown?: string;
  html?: string;
  executables: Partial<Record<RuntimeName, string>>;
  window?: number;
  timeoutMs?: number;
  warmup: boolean;
  color: boolean;
};

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive integer, got "${raw}"`);
  return n;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${flag} "${raw}" is not allowed; allowed: ${allowed.join(", ")}`);
  return raw as T;
}

function runtimes(flag: string, raw: readonly string[] | undefined): RuntimeName[] {
  if (raw === undefined) return [...MATRIX_RUNTIMES];
  const names = raw.flatMap((r) => r.split(",")).map((r) => r.trim());
  if (names.some((n) => n === "")) throw new UsageError(`--${flag} needs runtime names, comma-separated; allowed: ${MATRIX_RUNTIMES.join(", ")}`);
  return [...new Set(names.map((n) => oneOf(flag, n, MATRIX_RUNTIMES)))];
}

export function parseMatrixCli(argv: string[], env: { noColor: boolean; isTTY: boolean }): MatrixCliOptions {
  const v = parseFlags("matrix", argv, MATRIX_FLAGS, { allowPositionals: false }).values;
  const executables: Partial<Record<RuntimeName, string>> = {};
  for (const name of MATRIX_RUNTIMES) {
    const path = v[name];
    if (path === "") throw new UsageError(`--${name} needs the path of a ${name} executable`);
    if (path !== undefined) executables[name] = path;
  }
  return {
    help: v.help ?? false,
    servers: runtimes("servers", v.servers),
    clients: runtimes("clients", v.clients),
    levels: (v.level ?? [DEFAULT_MATRIX_LEVEL]).map((l) => oneOf("level", l, LEVEL_NAMES)),
    suites: (v.suite ?? []).map((s) => oneOf("suite", s, SUITE_NAMES)),
    rounds: v.rounds === undefined ? DEFAULT_ROUNDS : positiveInt("rounds", v.rounds),
    json: v.json,
    markdown: v.markdown,
    html: v.html,
    executables,
    window: v.window === undefined ? undefined : positiveInt("window", v.window),
    timeoutMs: v.timeout === undefined ? undefined : positiveInt("timeout", v.timeout),
    warmup: !v["no-warmup"],
    color: !v["no-color"] && !env.noColor && env.isTTY,
  };
}

function progressLine(event: MatrixProgressEvent, style: Style): string | undefined {
  switch (event.type) {
    case "matrix-start":
      return style.dim(`runtimes: ${event.runtimes.map((r) => `${r.name} ${r.version} (${r.executable})`).join(", ")}`);
    case "pairing-start":
      return style.bold(`▶ round ${event.round}/${event.rounds} · ${event.index}/${event.total} server ${event.pairing.replace("/", " ← client ")}`);
    case "suite-end":
      return `  ${mark(event.verdict, style)} ${event.level} ${event.suite.padEnd(13)} ${formatDuration(event.durationMs).padStart(8)}${event.status !== "ok" ? `  ${event.status}` : ""}`;
    case "pairing-end":
      return event.run.status === "ok"
        ? style.dim(`  done in ${formatDuration(event.run.durationMs)}`)
        : style.verdict(`  ✗ failed: ${event.run.error}`, "fail");
    default:
      return undefined;
  }
}

export async function main(argv: string[]): Promise<number> {
  const options = parseMatrixCli(argv, { noColor: Boolean(process.env.NO_COLOR), isTTY: Boolean(process.stdout.isTTY) });
  if (options.help) return void console.log(matrixHelp()), 0;
  const style = options.color ? ANSI : PLAIN;
  checkOutputPaths({ json: options.json, markdown: options.markdown, html: options.html });
  let base = stress().level(...options.levels).warmup(options.warmup);
  if (options.suites.length > 0) base = base.suite(...options.suites);
  if (options.window !== undefined) base = base.window(options.window);
  if (options.timeoutMs !== undefined) base = base.timeout(options.timeoutMs);
  const builder = base
    .runtimes({ servers: options.servers, clients: options.clients })
    .rounds(options.rounds)
    .executables(options.executables)
    .onProgress((event) => {
      const line = progressLine(event, style);
      if (line !== undefined) console.error(line);
    });

  const controller = new AbortController();
  let interrupted = 0;
  const onSignal = (): void => {
    if (++interrupted > 1) process.exit(130);
    console.error("\ninterrupted: stopping the current pairing and keeping every finished run (Ctrl-C again to quit now)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  try {
    const report = await builder.run({ signal: controller.signal });
    console.log(report.terminal({ color: options.color }));
    // still under the handler, and synchronous: a signal now waits until every file is whole
    const diverted = writeOutputFiles([
      { flag: "json", file: options.json, render: () => JSON.stringify(parseMatrix(report.json), null, 2) + "\n" },
      { flag: "markdown", file: options.markdown, render: () => report.markdown() },
      { flag: "html", file: options.html, render: () => report.html() },
    ], { aborted: report.json.status === "aborted" });
    for (const d of diverted) console.error(divertedLine(d));
    if (interrupted) return 130;
    return report.json.pairings.some((p) => p.runs.some((r) => r.status === "failed")) ? 1 : 0;
  } finally {
    process.off("SIGINT", onSignal);
  }
}
