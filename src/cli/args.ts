/**
 * The CLI's flags, defined once: `parseArgs` reads them and `--help` prints
 * them, so the two cannot drift. Bad input becomes a `UsageError` (exit 2)
 * that says what was wrong and what is allowed.
 */
import { LEVEL_NAMES, LEVELS, type LevelName } from "../core/levels.ts";
import { METRICS } from "../core/thresholds.ts";
import { SUITE_NAMES, type SuiteName, type Threshold } from "../report/schema.ts";
import { COMMANDS } from "./commands.ts";
import { UsageError } from "./errors.ts";
import {
  FAIL_ON_FLAG, type Flag, flagRows, HELP_FLAG, HTML_FLAG, MARKDOWN_FLAG, NO_COLOR_FLAG, oneOf, parseFlags, PROMETHEUS_FLAG,
} from "./_subcommand.ts";
import { checkHeader, checkSubprotocol } from "../core/handshake-values.ts";
import { AUTH_ROLES, type AuthRole } from "../profiles/profile.ts";



export const FLAGS = {
  quick: { type: "boolean", help: "run up to medium (100,000 operations): minimal, light, low, medium" },
  full: { type: "boolean", help: "run all eight levels, up to 99,000 live connections; wins over --quick, so `npm start -- --full` is the full sweep" },
  rate: { type: "string", value: "N", help: "open loop: N messages/s over all connections in the message suite, each timed from its intended send time (default: closed loop)" },
  "p99-bound": { type: "string", value: "MS", help: "broadcast also searches for the highest delivery rate whose p99 stays at or under MS ms, and reports that knee (default: no search)" },
  "connections-per-process": { type: "string", value: "N", help: "most connections one load worker or server process holds (default 15000); bigger levels spread over more processes" },
  "max-load": { type: "string", value: "N", help: "run every level whose operations are at most N (default: all eight, up to 9,900,000)" },
  level: { type: "string", multiple: true, value: "L", help: `run this level (repeatable): ${LEVEL_NAMES.join(", ")}` },
  suite: { type: "string", multiple: true, value: "S", help: `run this suite (repeatable; default all): ${SUITE_NAMES.join(", ")}` },
  shard: { type: "string", value: "I/N", help: "run shard I of N (0-based): an even slice of every level's connections, messages and subscribers; join the results with wsstress merge" },
  "start-at": { type: "string", value: "TIME", help: "start the levels at TIME (ISO 8601 with a zone, e.g. 2026-01-31T12:00:00Z; at most 24 h ahead), after the warm-up, so shards start together" },
  json: { type: "string", value: "FILE", help: "write the result document (validated against the schema) to FILE" },
  markdown: MARKDOWN_FLAG,
  html: HTML_FLAG,
  jsonl: {
    type: "string",
    value: "FILE",
    help: "append one JSON line per finished suite and level to FILE while running (see wsstress report); refused if FILE holds lines",
  },
  force: { type: "boolean", help: "let --jsonl replace a FILE that already holds lines (the log of an earlier run)" },
  prometheus: PROMETHEUS_FLAG,
  "fail-on": FAIL_ON_FLAG,
  threshold: { type: "string", multiple: true, value: "ID=E,G", help: "override a threshold, e.g. message.wire.rtt_p99_ms=5,20 (excellent, good)" },
  window: { type: "string", value: "N", help: "messages in flight per connection in the message, subscription and permission suites (default 1)" },
  timeout: { type: "string", value: "MS", help: "upper bound on any single wait: a handshake, a silence with no reply on any connection, a drain (default 10000)" },
  "on-error": { type: "string", value: "P", help: "after a suite that failed: continue with the rest (default) or stop there, keeping what finished" },
  target: { type: "string", value: "URL", help: "run the suites against your server at URL (ws:// or wss://) instead of the embedded one; loopback only unless --allow-remote" },
  "allow-remote": { type: "boolean", help: "let --target name a host outside loopback (127.0.0.0/8, ::1, localhost)" },
  profile: { type: "string", value: "P", help: "the protocol the suites speak: wsstress (default, every suite), echo (any echo server) or ./my-profile.ts (defineProtocol); needs --target unless wsstress" },
  header: { type: "string", multiple: true, value: "'N: V'", help: "add a header to every handshake (repeatable), e.g. 'Authorization: Bearer abc'; values are never written to results" },
  subprotocol: { type: "string", multiple: true, value: "S", help: "offer this subprotocol on every handshake (repeatable, in order of preference)" },
  token: { type: "string", multiple: true, value: "ROLE=T", help: "the token a role authenticates with (repeatable): subscriber, publisher, admin; never written to results" },
  ca: { type: "string", value: "FILE", help: "trust the PEM CA certificate in FILE for a wss:// target" },
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
  version: { type: "boolean", short: "v", help: "print the version" },
} as const satisfies Record<string, Flag>;

export type FailOn = "fail" | "warn" | "never";

export type CliOptions = {
  help: boolean;
  version: boolean;
  quick: boolean;
  full: boolean;
  connectionsPerProcess?: number;
  rate?: number;
  p99BoundMs?: number;
  maxLoad?: number;
  levels: LevelName[];
  suites: SuiteName[];
  json?: string;
  markdown?: string;
  html?: string;
  jsonl?: string;
  /** --jsonl may replace a file that holds lines */
  force: boolean;
  prometheus?: string;
  failOn: FailOn;
  thresholds: Record<string, Threshold>;
  window?: number;
  timeoutMs?: number;
  onError?: "continue" | "stop";
  target?: string;
  allowRemote: boolean;
  profile?: string;
  headers: Record<string, string>;
  subprotocols: string[];
  tokens: Partial<Record<AuthRole, string>>;
  /** the CA file's path, read by the run command */
  ca?: string;
  shard?: { index: number; count: number };
  startAt?: string;
  color: boolean;
};

function header(raw: string): [string, string] {
  const colon = raw.indexOf(":");
  if (colon <= 0) throw new UsageError(`--header "${raw}" must look like 'Name: value', e.g. 'Authorization: Bearer abc'`);
  const [name, value] = [raw.slice(0, colon).trim(), raw.slice(colon + 1).trim()];
  try {
    checkHeader(name, value);
  } catch (error) {
    throw new UsageError(`--header: ${(error as Error).message}`);
  }
  return [name, value];
}

function token(raw: string): [AuthRole, string] {
  const eq = raw.indexOf("=");
  const role = raw.slice(0, Math.max(0, eq));
  if (eq <= 0 || eq === raw.length - 1 || !(AUTH_ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`--token must look like ROLE=TOKEN with ROLE one of ${AUTH_ROLES.join(", ")}; got "${eq > 0 ? `${role}=…` : raw}"`);
  }
  return [role as AuthRole, raw.slice(eq + 1)];
}

function subprotocol(raw: string): string {
  try {
    checkSubprotocol(raw);
  } catch (error) {
    throw new UsageError(`--subprotocol: ${(error as Error).message}`);
  }
  return raw;
}

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} must be a positive integer, got "${raw}"`);
  return n;
}

function maxLoad(raw: string): number {
  const n = positiveInt("max-load", raw);
  const smallest = LEVELS[0].operations;
  if (n < smallest) throw new UsageError(`--max-load ${raw} selects no level; the smallest level (minimal) has ${smallest} operations`);
  return n;
}

/** `I/N` with integers 0 ≤ I < N */
export function parseShard(raw: string): { index: number; count: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [Number.NaN, Number.NaN];
  if (!match || count < 1 || index >= count) {
    throw new UsageError(`--shard "${raw}" must be I/N with 0 ≤ I < N, e.g. 0/3, 1/3 and 2/3 for three shards`);
  }
  return { index, count };
}

/** the metrics a threshold can judge: plain figures (better "none") and shares that must be whole take none */
const THRESHOLD_IDS = Object.keys(METRICS).filter((id) => METRICS[id].better !== "none" && METRICS[id].exact === undefined);

function threshold(raw: string): [string, Threshold] {
  const match = /^([\w.]+)=([-\d.e]+),([-\d.e]+)$/.exec(raw);
  if (!match) throw new UsageError(`--threshold "${raw}" must look like ID=EXCELLENT,GOOD, e.g. message.wire.rtt_p99_ms=5,20`);
  const [, id, excellent, good] = match;
  const spec = Object.hasOwn(METRICS, id) ? METRICS[id] : undefined;
  if (!spec) throw new UsageError(`--threshold: unknown metric "${id}"; allowed: ${THRESHOLD_IDS.join(", ")}`);
  if (spec.better === "none") throw new UsageError(`--threshold: ${id} is a plain figure and takes no threshold`);
  if (spec.exact !== undefined) throw new UsageError(`--threshold: ${id} passes only at exactly ${spec.exact} and takes no threshold`);
  return [id, { better: spec.better, excellent: Number(excellent), good: Number(good) }];
}

export function parseCli(argv: string[], env: { noColor: boolean; isTTY: boolean }): CliOptions {
  const v = parseFlags("", argv, FLAGS, { allowPositionals: false }).values;
  if (v.full && (v["max-load"] !== undefined || v.level)) throw new UsageError("--full runs all eight levels; drop --max-load / --level");
  if (v.quick && v["max-load"] !== undefined) throw new UsageError("--quick and --max-load both set the levels; give one");
  if ((v.quick || v["max-load"] !== undefined) && v.level) throw new UsageError("--level names the levels itself; drop --quick / --max-load");
  if (v["allow-remote"] && v.target === undefined) throw new UsageError("--allow-remote applies to --target URL; give the target");
  if (v.force && v.jsonl === undefined) throw new UsageError("--force applies to --jsonl FILE; give the file");
  return {
    help: v.help ?? false,
    version: v.version ?? false,
    quick: (v.quick ?? false) && !v.full,
    full: v.full ?? false,
    rate: v.rate === undefined ? undefined : positiveInt("rate", v.rate),
    p99BoundMs: v["p99-bound"] === undefined ? undefined : positiveInt("p99-bound", v["p99-bound"]),
    connectionsPerProcess: v["connections-per-process"] === undefined ? undefined : positiveInt("connections-per-process", v["connections-per-process"]),
    maxLoad: v["max-load"] === undefined ? undefined : maxLoad(v["max-load"]),
    levels: (v.level ?? []).map((l) => oneOf("level", l, LEVEL_NAMES)),
    suites: (v.suite ?? []).map((s) => oneOf("suite", s, SUITE_NAMES)),
    json: v.json,
    markdown: v.markdown,
    html: v.html,
    jsonl: v.jsonl,
    force: v.force ?? false,
    prometheus: v.prometheus,
    failOn: v["fail-on"] === undefined ? "never" : oneOf("fail-on", v["fail-on"], ["fail", "warn", "never"] as const),
    thresholds: Object.fromEntries((v.threshold ?? []).map(threshold)),
    window: v.window === undefined ? undefined : positiveInt("window", v.window),
    timeoutMs: v.timeout === undefined ? undefined : positiveInt("timeout", v.timeout),
    onError: v["on-error"] === undefined ? undefined : oneOf("on-error", v["on-error"], ["continue", "stop"] as const),
    target: v.target,
    allowRemote: v["allow-remote"] ?? false,
    profile: v.profile,
    headers: Object.fromEntries((v.header ?? []).map(header)),
    subprotocols: (v.subprotocol ?? []).map(subprotocol),
    tokens: Object.fromEntries((v.token ?? []).map(token)),
    ca: v.ca,
    shard: v.shard === undefined ? undefined : parseShard(v.shard),
    startAt: v["start-at"],
    color: !v["no-color"] && !env.noColor && env.isTTY,
  };
}

export function helpText(version: string): string {
  const rows = flagRows(FLAGS);
  return [
    `wsstress ${version}: WebSocket stress testing over real sockets (Node, Deno, Bun)`,
    "",
    "Usage: wsstress [flags]",
    ...(Object.keys(COMMANDS).length > 0 ? ["       wsstress <command> [flags]   (wsstress <command> --help for its flags)"] : []),
    "",
    "Runs the six suites at the chosen levels against the embedded reference server",
    "(started in its own process on the runtime that runs wsstress), or against your",
    "server with --target URL, speaking the protocol --profile names.",
    "",
    "Files: each output is written whole (a temporary file beside it, renamed into place),",
    "so a crash never leaves half a file. An output naming an input or another output is",
    "refused. Ctrl-C or SIGTERM stops the load and writes what finished (status aborted),",
    "but never over a file that exists: r.json is kept and the aborted result goes to",
    "r.aborted.json (likewise for every output).",
    "",
    "Flags:",
    ...rows,
    ...(Object.keys(COMMANDS).length > 0 ? ["", "Commands:", ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(26)} ${c.summary}`)] : []),
    "",
    "Exit codes: 0 done, 1 a verdict at or above --fail-on, 2 bad input, 130 interrupted (SIGINT), 143 terminated (SIGTERM).",
  ].join("\n");
}
