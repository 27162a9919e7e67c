/**
 * The CLI's flags, defined once: `parseArgs` reads them and `--help` prints
 * them, so the two cannot drift. A flag that sets part of the plan names its
 * plan input (`input`): its text becomes a value and is checked once, by the
 * plan-input schema the builder uses, worded with the flag's own name. Bad
 * input is the input formatter's RangeError (exit 2).
 */
import { inputError } from "../model/input-error.ts";
import { LEVEL_NAMES, LEVELS, QUICK_MAX_OPERATIONS } from "../model/levels.ts";
import { SUITE_NAMES } from "../model/result.ts";
import { AUTH_ROLES } from "../profiles/profile.ts";
import { checkInput, DEFAULT_INPUT, IN_CODE, levelsWithin, type Naming, type PlanInput } from "../run/plan-input.ts";
import { type Scenarios, specOf } from "../suites/metric-catalogue.ts";
import { checkDashboardPort, type DashboardOptions, DEFAULT_DASHBOARD_PORT } from "../run/live-dashboard.ts";
import {
  ALERT_RULES_FLAG,
  FAIL_ON_FLAG,
  type Flag,
  HELP_FLAG,
  HTML_FLAG,
  MARKDOWN_FLAG,
  NO_COLOR_FLAG,
  oneOf,
  parseFlags,
  positionals,
  PROMETHEUS_FLAG,
  QUIET_FLAG,
} from "./_subcommand.ts";

/** A flag that fills a plan input, by the input's name in `plan-input.ts`. */
export type PlanFlag = Flag & { input: keyof Naming };

/** The plan's flags, which the matrix command takes too (`level`, `suite`, `window`, `timeout`). */
export const PLAN_FLAGS = {
  level: { type: "string", multiple: true, value: "L", input: "levels", help: `run this level (repeatable): ${LEVEL_NAMES.join(", ")}` },
  suite: {
    type: "string",
    multiple: true,
    value: "S",
    input: "suites",
    help: `run this suite (repeatable; default all): ${SUITE_NAMES.join(", ")}`,
  },
  scenario: {
    type: "string",
    multiple: true,
    value: "FILE",
    input: "scenarios",
    help: "run your scenario: a module whose default export is defineScenario({ … }) (repeatable); " +
      "alone unless --suite names suites too",
  },
  rate: {
    type: "string",
    value: "N",
    input: "rate",
    help: "open loop: N messages/s over all connections in the message suite, " +
      "each timed from its intended send time (default: closed loop)",
  },
  "p99-bound": {
    type: "string",
    value: "MS",
    input: "p99BoundMs",
    help: "broadcast also searches for the highest delivery rate whose p99 stays at or under MS ms, " +
      "and reports that knee (default: no search)",
  },
  "connections-per-process": {
    type: "string",
    value: "N",
    input: "connectionsPerProcess",
    help: "most connections one load worker or server process holds (default 15000); bigger levels spread over more processes",
  },
  shard: {
    type: "string",
    value: "I/N",
    input: "shard",
    help: "run shard I of N (0-based): an even slice of every level's connections, messages and subscribers; " +
      "join the results with wsstress merge",
  },
  "start-at": {
    type: "string",
    value: "TIME",
    input: "startAt",
    help: "start the levels at TIME (ISO 8601 with a zone, e.g. 2026-01-31T12:00:00Z; " +
      "at most 24 h ahead), after the warm-up, so shards start together",
  },
  threshold: {
    type: "string",
    multiple: true,
    value: "ID=E,G",
    input: "thresholds",
    help: "override a threshold, e.g. message.wire.rtt_p99_ms=5,20 (excellent, good)",
  },
  window: {
    type: "string",
    value: "N",
    input: "window",
    help: "messages in flight per connection in the message, subscription and permission suites (default 1)",
  },
  timeout: {
    type: "string",
    value: "MS",
    input: "timeoutMs",
    help: "upper bound on any single wait: a handshake, a silence with no reply on any connection, a drain (default 10000)",
  },
  "on-error": {
    type: "string",
    value: "P",
    input: "onError",
    help: "after a suite that failed: continue with the rest (default) or stop there, keeping what finished",
  },
  target: {
    type: "string",
    value: "URL",
    input: "target",
    help: "run the suites against your server at URL (ws:// or wss://) instead of the embedded one; loopback only unless --allow-remote",
  },
  profile: {
    type: "string",
    value: "P",
    input: "profile",
    help: "the protocol the suites speak: wsstress (default, every suite), echo (any echo server), socketio (Socket.IO v4; " +
      "options as socketio?namespace=/chat&echo=ping), graphql-ws (graphql-transport-ws), mqtt (MQTT 3.1.1 or 5 over WebSocket; " +
      "options as mqtt?version=5&qos=1) or ./my-profile.ts (defineProtocol); needs --target unless wsstress",
  },
  header: {
    type: "string",
    multiple: true,
    value: "'N: V'",
    input: "headers",
    help: "add a header to every handshake (repeatable), e.g. 'Authorization: Bearer abc'; values are never written to results",
  },
  query: {
    type: "string",
    multiple: true,
    value: "N=V",
    input: "query",
    help: "add a query parameter to every connection's URL (repeatable); values are never written to results",
  },
  auth: {
    type: "string",
    multiple: true,
    value: "N=V",
    input: "auth",
    help: "a field of the handshake payload protocols carry, e.g. Socket.IO's auth (repeatable); values are never written to results",
  },
  subprotocol: {
    type: "string",
    multiple: true,
    value: "S",
    input: "subprotocols",
    help: "offer this subprotocol on every handshake (repeatable, in order of preference)",
  },
  token: {
    type: "string",
    multiple: true,
    value: "ROLE=T",
    input: "tokens",
    help: "the token a role authenticates with (repeatable): subscriber, publisher, admin; never written to results",
  },
  ca: { type: "string", value: "FILE", input: "ca", help: "trust the PEM CA certificate in FILE for a wss:// target" },
} as const satisfies Record<string, PlanFlag>;

export const FLAGS = {
  quick: { type: "boolean", help: "run up to medium (100,000 operations): minimal, light, low, medium" },
  full: {
    type: "boolean",
    help: "run all eight levels, up to 99,000 live connections; wins over --quick, so `npm start -- --full` is the full sweep",
  },
  "max-load": { type: "string", value: "N", help: "run every level whose operations are at most N (default: all eight, up to 9,900,000)" },
  ...PLAN_FLAGS,
  "allow-remote": {
    type: "boolean",
    help: "let --target name a host outside loopback (127.0.0.0/8, ::1, localhost), and serve --dashboard on every interface",
  },
  conform: {
    type: "boolean",
    help: "also run a sample of the conformance cases (wsstress conform) on extra connections at every level, judged into its verdict",
  },
  dashboard: {
    type: "string",
    value: "[PORT]",
    help: `serve a live dashboard on loopback while the run goes, on PORT (default ${DEFAULT_DASHBOARD_PORT}; 0: any free one): ` +
      "each suite's rate, latency, sockets, errors and generator load as charts, then the final report",
  },
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
  "alert-rules": ALERT_RULES_FLAG,
  "fail-on": FAIL_ON_FLAG,
  quiet: QUIET_FLAG,
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
  version: { type: "boolean", short: "v", help: "print the version" },
} as const satisfies Record<string, Flag>;

/** Each plan input by its flag: what the input formatter says when the flag's value is wrong. */
export const ON_THE_COMMAND_LINE: Naming = {
  ...IN_CODE,
  ...Object.fromEntries(Object.entries(PLAN_FLAGS).map(([flag, f]) => [f.input, `--${flag}`])),
  warmup: "--no-warmup",
  conform: "--conform",
};

export type FailOn = "fail" | "warn" | "never";

export type CliOptions = {
  help: boolean;
  version: boolean;
  /** the plan input, checked; `ca` is the file's path until the run command reads it */
  input: PlanInput;
  caFile?: string;
  outputs: { json?: string; markdown?: string; html?: string; jsonl?: string; prometheus?: string; alertRules?: string };
  /** --jsonl may replace a file that holds lines */
  force: boolean;
  /** --dashboard [PORT] */
  dashboard?: DashboardOptions;
  failOn: FailOn;
  quiet: boolean;
  color: boolean;
};

/** A number flag's text as a number (`1_000` reads as 1000); text that is none goes on as it is, for the schema to refuse. */
export const numberOf = (raw: string): number | string => {
  const n = Number(raw.replaceAll("_", ""));
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
};

/**
 * `text` split at the first `separator` into two non-empty parts, or the
 * formatter's line saying how it must look; `secret` keeps the text out of
 * the message (a token's value must not reach a log).
 */
function split(flag: string, text: string, separator: string, form: string, secret = false): [string, string] {
  const at = text.indexOf(separator);
  const [left, right] = at > 0 ? [text.slice(0, at).trim(), text.slice(at + separator.length).trim()] : ["", ""];
  if (left === "" || right === "") throw inputError(`--${flag}`, secret ? "cannot read the value given" : `cannot read "${text}"`, form);
  return [left, right];
}

const THRESHOLD_FORM = "ID=EXCELLENT,GOOD, e.g. message.wire.rtt_p99_ms=5,20";

function thresholdOf(raw: string, known: Scenarios): [string, { better: string; excellent: number | string; good: number | string }] {
  const [id, figures] = split("threshold", raw, "=", THRESHOLD_FORM);
  const [excellent, good] = split("threshold", figures, ",", THRESHOLD_FORM).map(numberOf);
  // the direction is the metric's own (a scenario's from what it declares); an unknown id is named by the check,
  // so its figures are read whichever way makes them valid
  const guess = typeof excellent === "number" && typeof good === "number" && excellent < good ? "lower" : "higher";
  return [id, { better: specOf(id, known)?.better ?? guess, excellent, good }];
}

function shardOf(raw: string): unknown {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!match) throw inputError("--shard", `"${raw}" is not I/N`, "shard I of N with 0 ≤ I < N, e.g. 0/3, 1/3 and 2/3 for three shards");
  return { index: Number(match[1]), count: Number(match[2]) };
}

type Values = Partial<Record<keyof typeof PLAN_FLAGS, string | string[]>> & { "allow-remote"?: boolean };

/**
 * The plan inputs the plan's flags give, each checked once, worded with its flag;
 * `known`: the scenarios `--scenario` loaded, whose metrics `--threshold` may name.
 */
export function planInputOf(values: Values, base: PlanInput = DEFAULT_INPUT, known: Scenarios = {}): PlanInput {
  const take = <K extends keyof Naming>(key: K, value: unknown) => checkInput(key, value, ON_THE_COMMAND_LINE);
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : typeof v === "string" ? [v] : v);
  const one = (v: string | string[] | undefined): string | undefined => (typeof v === "string" ? v : v?.at(-1));
  const input: { -readonly [K in keyof PlanInput]: PlanInput[K] } = { ...base };
  const connection = { ...base.connection };
  if (values.level !== undefined) input.levels = take("levels", list(values.level));
  if (values.suite !== undefined) input.suites = take("suites", list(values.suite));
  if (values.scenario !== undefined) input.scenarios = take("scenarios", list(values.scenario));
  const thresholds = list(values.threshold).map((raw) => thresholdOf(raw, known));
  if (values.threshold !== undefined) input.thresholds = take("thresholds", Object.fromEntries(thresholds));
  const numbers = [["window", "window"], ["timeout", "timeoutMs"], ["rate", "rate"], ["p99-bound", "p99BoundMs"], [
    "connections-per-process",
    "connectionsPerProcess",
  ]] as const;
  for (const [flag, key] of numbers) {
    const raw = one(values[flag]);
    if (raw !== undefined) input[key] = take(key, numberOf(raw));
  }
  if (values["on-error"] !== undefined) input.onError = take("onError", one(values["on-error"]));
  if (values.shard !== undefined) input.shard = take("shard", shardOf(one(values.shard)!));
  if (values["start-at"] !== undefined) input.startAt = take("startAt", one(values["start-at"]));
  if (values.target !== undefined) input.target = take("target", { url: one(values.target), allowRemote: values["allow-remote"] });
  else if (values["allow-remote"]) {
    throw inputError("--allow-remote", "applies to --target URL, and there is none", "--allow-remote with --target URL");
  }
  if (values.profile !== undefined) input.profile = take("profile", one(values.profile));
  if (values.header !== undefined) {
    connection.headers = take(
      "headers",
      Object.fromEntries(list(values.header).map((h) => split("header", h, ":", "'Name: value', e.g. 'Authorization: Bearer abc'"))),
    );
  }
  const named = (flag: "query" | "auth") => Object.fromEntries(list(values[flag]).map((q) => split(flag, q, "=", "NAME=VALUE", true)));
  if (values.query !== undefined) connection.query = take("query", named("query"));
  if (values.auth !== undefined) connection.auth = take("auth", named("auth"));
  if (values.subprotocol !== undefined) connection.protocols = take("subprotocols", list(values.subprotocol));
  if (values.token !== undefined) {
    connection.tokens = take(
      "tokens",
      Object.fromEntries(
        list(values.token).map((t) => split("token", t, "=", `ROLE=TOKEN with ROLE one of ${AUTH_ROLES.join(", ")}`, true)),
      ),
    );
  }
  input.connection = connection;
  return input;
}

/** The `--scenario` files of a command line, before the rest is read: their metrics give `--threshold` its directions. */
export function scenarioFiles(argv: string[]): string[] {
  const { values } = parseFlags("", withDashboardPort(argv), FLAGS);
  return values.scenario ?? [];
}

/**
 * `--dashboard` without a port takes the default: `parseArgs` knows no
 * optional value, so it is written in. A next word that is a flag (and not
 * a negative number, which the port check refuses) is no port.
 */
function withDashboardPort(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    const bare = arg === "--dashboard" && (next === undefined || (next.startsWith("-") && !/^-\.?\d/.test(next)));
    return bare ? `--dashboard=${DEFAULT_DASHBOARD_PORT}` : arg;
  });
}

export function parseCli(argv: string[], env: { noColor: boolean; isTTY: boolean }, known: Scenarios = {}): CliOptions {
  const { values: v, positionals: given } = parseFlags("", withDashboardPort(argv), FLAGS);
  positionals("", given, []);
  const levelFlags = [v.full && "--full", v.quick && "--quick", v["max-load"] !== undefined && "--max-load", v.level && "--level"].filter((
    f,
  ) => f !== false && f !== undefined);
  // --full wins over --quick (so `npm start -- --full` is the full sweep); any other pair names the levels twice
  if (levelFlags.length > 1 && !(levelFlags.length === 2 && v.full && v.quick)) {
    throw inputError(levelFlags.join(" and "), "each chooses the levels", "one of --full, --quick, --max-load N, --level L (repeatable)");
  }
  if (v.force && v.jsonl === undefined) {
    throw inputError("--force", "applies to --jsonl FILE, and there is none", "--force with --jsonl FILE");
  }
  if (v["allow-remote"] && v.target === undefined && v.dashboard === undefined) {
    const allowed = "--allow-remote with --target URL or --dashboard";
    throw inputError("--allow-remote", "applies to --target URL or --dashboard, and there is neither", allowed);
  }
  const dashboard = v.dashboard === undefined
    ? undefined
    : { port: checkDashboardPort(numberOf(v.dashboard), "--dashboard"), allowRemote: v["allow-remote"] ?? false };
  const base = { ...DEFAULT_INPUT };
  if (v.quick && !v.full) base.levels = levelsWithin(QUICK_MAX_OPERATIONS, "--quick");
  if (v.full) base.levels = LEVELS;
  if (v["max-load"] !== undefined) base.levels = levelsWithin(numberOf(v["max-load"]), "--max-load");
  // --allow-remote with --dashboard alone is the dashboard's, not a target's
  const { ca, dashboard: _, ...rest } = v.target === undefined ? { ...v, "allow-remote": undefined } : v;
  const input = planInputOf(rest, base, known);
  return {
    help: v.help ?? false,
    version: v.version ?? false,
    input: v.conform ? { ...input, conform: checkInput("conform", true, ON_THE_COMMAND_LINE) } : input,
    ...(ca !== undefined ? { caFile: ca } : {}),
    outputs: { json: v.json, markdown: v.markdown, html: v.html, jsonl: v.jsonl, prometheus: v.prometheus, alertRules: v["alert-rules"] },
    force: v.force ?? false,
    ...(dashboard ? { dashboard } : {}),
    failOn: v["fail-on"] === undefined ? "never" : oneOf("fail-on", v["fail-on"], ["fail", "warn", "never"] as const),
    quiet: v.quiet ?? false,
    color: !v["no-color"] && !env.noColor && env.isTTY,
  };
}
