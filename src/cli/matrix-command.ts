/**
 * `wsstress matrix`: the same plan on every server × client pairing of
 * Node, Deno and Bun, each side in its own process, interleaved over rounds,
 * compared metric by metric. Bad input is the input formatter's RangeError (exit 2) naming what
 * is allowed.
 */
import process from "node:process";
import { THIS_MACHINE } from "../host/host-platform.ts";
import { StressBuilder } from "../run/stress-builder.ts";
import type { PlanInput } from "../run/plan-input.ts";
import { inputError } from "../model/input-error.ts";
import { numberOf, PLAN_FLAGS, planInputOf } from "./run-flags.ts";
import { LEVEL_NAMES, type LevelName } from "../model/levels.ts";
import type { RuntimeName } from "../model/runtime-contract.ts";
import { checkPairings, checkRounds, DEFAULT_ROUNDS } from "../run/matrix-builder.ts";
import { checkNamedMetrics, DEFAULT_TOLERANCE_PERCENT, type Tolerances, tolerancesFrom } from "../analysis/tolerances.ts";
import { PROCESS_FIGURE_IDS } from "../analysis/matrix-metrics.ts";
import { METRICS } from "../suites/metric-catalogue.ts";
import type { MatrixProgressEvent } from "../model/progress-events.ts";
import { parseMatrix } from "../model/matrix-document.ts";
import { RUNTIME_NAMES } from "../model/runtime-contract.ts";
import { ANSI, formatDuration, mark, PLAIN, type Style } from "../report/format.ts";
import { type Flag, flagRows, HELP_FLAG, NO_COLOR_FLAG, oneOf, parseFlags, positionals } from "./_subcommand.ts";
import { VERSION } from "../model/version.ts";
import { checkOutputPaths } from "./output-paths.ts";
import { divertedLine, writeOutputFiles } from "./write-whole.ts";

/** Three runs of every pairing of every suite at this level take minutes, not hours. */
export const DEFAULT_MATRIX_LEVEL: LevelName = "light";

const RUNTIMES = RUNTIME_NAMES.join(",");

export const MATRIX_FLAGS = {
  servers: { type: "string", multiple: true, value: "LIST", help: `server runtimes, comma-separated (default ${RUNTIMES})` },
  clients: { type: "string", multiple: true, value: "LIST", help: `client runtimes, comma-separated (default ${RUNTIMES})` },
  level: { ...PLAN_FLAGS.level, help: `run this level (repeatable; default ${DEFAULT_MATRIX_LEVEL}): ${LEVEL_NAMES.join(", ")}` },
  suite: PLAN_FLAGS.suite,
  rounds: {
    type: "string",
    value: "N",
    help: `interleaved rounds of every pairing; medians and rank tests are taken over them, fewer than 4 call nothing ` +
      `(default ${DEFAULT_ROUNDS})`,
  },
  tolerance: {
    type: "string",
    multiple: true,
    value: "P",
    help: `the smallest lead worth a win: P for every metric (default ${DEFAULT_TOLERANCE_PERCENT}%), ` +
      "or METRIC=P for one, e.g. message.wire.rtt_p99_ms=15% (repeatable)",
  },
  json: { type: "string", value: "FILE", help: "write the matrix document (validated against its schema) to FILE" },
  markdown: { type: "string", value: "FILE", help: "write the markdown comparison to FILE" },
  html: { type: "string", value: "FILE", help: "write the comparison as one self-contained HTML page to FILE" },
  node: { type: "string", value: "PATH", help: "the node executable (default: node_modules/.bin, then PATH)" },
  deno: { type: "string", value: "PATH", help: "the deno executable (default: node_modules/.bin, then PATH)" },
  bun: { type: "string", value: "PATH", help: "the bun executable (default: node_modules/.bin, then PATH)" },
  window: PLAN_FLAGS.window,
  timeout: PLAN_FLAGS.timeout,
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
    "rounds. Every metric gets the median and the spread (max − min) per pairing; the",
    "leader (best median) wins only when, against every other pairing, the Mann–Whitney U",
    "test over the rounds puts the whole 95 % interval of its lead beyond the tolerance, the",
    "rule wsstress compare uses. Fewer than 4 rounds call nothing, and say so; a max or a min",
    "(one sample) and the generator's own send lag (the load's figure, not the server's) are",
    "never called unless --tolerance names them. Engine rows are timed inside the client, so",
    "they compare client runtimes, every server's rounds pooled. Ctrl-C writes",
    "every finished run (status aborted), but never over a file that exists: r.json is kept",
    "and the matrix goes to r.aborted.json.",
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
  /** the plan input, checked flag by flag as the run command's is */
  input: PlanInput;
  rounds: number;
  tolerances: Tolerances;
  json?: string;
  markdown?: string;
  html?: string;
  executables: Partial<Record<RuntimeName, string>>;
  color: boolean;
};

function runtimes(flag: string, raw: readonly string[] | undefined): RuntimeName[] {
  if (raw === undefined) return [...RUNTIME_NAMES];
  const names = raw.flatMap((r) => r.split(",")).map((r) => r.trim());
  if (names.some((n) => n === "")) {
    throw inputError(`--${flag}`, "an empty runtime name", `runtime names, comma-separated: ${RUNTIME_NAMES.join(", ")}`);
  }
  return [...new Set(names.map((n) => oneOf(flag, n, RUNTIME_NAMES)))];
}

/** `--tolerance` as given, each metric it names checked against the catalogue and the process figures. */
function matrixTolerances(specs: readonly string[]): Tolerances {
  const tolerances = tolerancesFrom(specs);
  checkNamedMetrics(tolerances, [...Object.keys(METRICS), ...PROCESS_FIGURE_IDS]);
  return tolerances;
}

export function parseMatrixCli(argv: string[], env: { noColor: boolean; isTTY: boolean }): MatrixCliOptions {
  const { values: v, positionals: given } = parseFlags("matrix", argv, MATRIX_FLAGS);
  positionals("matrix", given, []);
  const executables: Partial<Record<RuntimeName, string>> = {};
  for (const name of RUNTIME_NAMES) {
    const path = v[name];
    if (path === "") throw inputError(`--${name}`, "an empty path", `the path of a ${name} executable`);
    if (path !== undefined) executables[name] = path;
  }
  const { level, suite, window, timeout } = v;
  const input = planInputOf({ level: level ?? [DEFAULT_MATRIX_LEVEL], suite, window, timeout });
  const rounds = v.rounds === undefined ? DEFAULT_ROUNDS : numberOf(v.rounds);
  const [servers, clients] = [runtimes("servers", v.servers), runtimes("clients", v.clients)];
  if (!v.help) checkPairings(servers, clients, "wsstress matrix");
  return {
    help: v.help ?? false,
    servers,
    clients,
    input: { ...input, warmup: !v["no-warmup"] },
    rounds: checkRounds(rounds, "--rounds"),
    tolerances: matrixTolerances(v.tolerance ?? []),
    json: v.json,
    markdown: v.markdown,
    html: v.html,
    executables,
    color: !v["no-color"] && !env.noColor && env.isTTY,
  };
}

function progressLine(event: MatrixProgressEvent, style: Style): string | undefined {
  switch (event.type) {
    case "matrix-start":
      return style.dim(`runtimes: ${event.runtimes.map((r) => `${r.name} ${r.version} (${r.executable})`).join(", ")}`);
    case "pairing-start":
      return style.bold(
        `▶ round ${event.round}/${event.rounds} · ${event.index}/${event.total} server ${event.pairing.replace("/", " ← client ")}`,
      );
    case "suite-end":
      return `  ${mark(event.verdict, style)} ${event.level} ${event.suite.padEnd(13)} ${formatDuration(event.durationMs).padStart(8)}${
        event.status !== "ok" ? `  ${event.status}` : ""
      }`;
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
  const matrix = new StressBuilder(options.input, THIS_MACHINE)
    .runtimes({ servers: options.servers, clients: options.clients })
    .rounds(options.rounds)
    .tolerance(options.tolerances.defaultPercent);
  const tolerated = Object.entries(options.tolerances.perMetric).reduce((b, [id, percent]) => b.tolerance(id, percent), matrix);
  const builder = tolerated
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
