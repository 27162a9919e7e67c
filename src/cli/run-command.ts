/** `wsstress [flags]`: runs the plan the flags describe and prints the report. */
import { readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { THIS_MACHINE } from "../host/host-platform.ts";
import { checkInput } from "../run/plan-input.ts";
import { StressBuilder } from "../run/stress-builder.ts";
import { compareVerdicts } from "../analysis/verdicts.ts";
import { namesProfileModule } from "../profiles/builtin.ts";
import { ANSI, PLAIN } from "../report/format.ts";
import { VERSION } from "../model/version.ts";
import { COMMANDS } from "./commands.ts";
import { type CliOptions, FLAGS, ON_THE_COMMAND_LINE, parseCli, scenarioFiles } from "./run-flags.ts";
import { loadScenario } from "../host/scenario-loader.ts";
import { flagRows } from "./_subcommand.ts";
import { UsageError } from "./errors.ts";
import { checkOutputPaths, type InputFile } from "./output-paths.ts";
import { jsonlSink } from "./jsonl-sink.ts";
import { writeOutputs } from "./outputs.ts";
import { divertedLine } from "./write-whole.ts";
import { progressLine } from "./progress-line.ts";
import { ProgressBar } from "./progress-bar.ts";

/** The files a run reads, which no output may name: the CA and a profile module on disk. */
function inputsOf(options: CliOptions): InputFile[] {
  const inputs: InputFile[] = options.caFile === undefined ? [] : [{ role: "--ca", file: options.caFile }];
  const profile = options.input.profile;
  if (typeof profile === "string" && namesProfileModule(profile) && !/^https?:/.test(profile)) {
    inputs.push({ role: "--profile", file: profile.startsWith("file:") ? fileURLToPath(profile) : profile });
  }
  for (const s of options.input.scenarios ?? []) {
    if (typeof s === "string" && !/^https?:/.test(s)) {
      inputs.push({ role: "--scenario", file: s.startsWith("file:") ? fileURLToPath(s) : s });
    }
  }
  return inputs;
}

function readCa(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--ca ${path} cannot be read: ${(error as Error).message}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const env = { noColor: Boolean(process.env.NO_COLOR), isTTY: Boolean(process.stdout.isTTY) };
  // scenario modules first: a module that throws is bad input (exit 2), and --threshold may name their metrics
  const scenarios = argv.includes("--help") || argv.includes("-h") ? [] : await Promise.all(scenarioFiles(argv).map(loadScenario));
  const options = parseCli(argv, env, { scenarios: scenarios.map((s) => s.ref) });
  if (options.help) return void console.log(helpText(VERSION)), 0;
  if (options.version) return void console.log(VERSION), 0;
  const style = options.color ? ANSI : PLAIN;
  const withCa = options.caFile === undefined
    ? options.input
    : { ...options.input, connection: { ...options.input.connection, ca: checkInput("ca", readCa(options.caFile), ON_THE_COMMAND_LINE) } };
  const input = scenarios.length > 0 ? { ...withCa, scenarios } : withCa;
  // the input is checked already (once, flag by flag): the builder takes it as it is
  let builder = new StressBuilder(input, THIS_MACHINE);
  if (options.dashboard) builder = builder.dashboard(options.dashboard);
  builder.plan();
  const { alertRules, ...files } = options.outputs;
  checkOutputPaths({ ...files, "alert-rules": alertRules }, inputsOf(options));

  const controller = new AbortController();
  let interrupted = 0;
  // the shell's convention: 128 + the signal's number
  let signalExit = 130;
  // the bar only where a person watches: never in a log or a pipe
  const bar = process.stderr.isTTY
    ? new ProgressBar((text) => process.stderr.write(text), { columns: () => process.stderr.columns || 100 })
    : undefined;
  const onSignal = (signal: "SIGINT" | "SIGTERM"): void => {
    if (++interrupted > 1) process.exit(signal === "SIGTERM" ? 143 : 130);
    signalExit = signal === "SIGTERM" ? 143 : 130;
    bar?.clear();
    const how = signal === "SIGTERM" ? "terminated" : "interrupted";
    console.error(`\n${how}: stopping the load and keeping every finished result (Ctrl-C again to quit now)`);
    controller.abort();
  };
  const onInt = (): void => onSignal("SIGINT");
  const onTerm = (): void => onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  // opened before the run, so a path that cannot be written fails before any load
  const jsonl = options.outputs.jsonl ? jsonlSink(options.outputs.jsonl, { force: options.force }) : undefined;
  builder = builder.onProgress((event) => {
    jsonl?.(event); // first: the line is on disk whatever happens next
    const line = progressLine(event, style);
    // a suite's progress only moves the bar: erasing it for nothing would make it flicker
    if (line !== undefined) bar?.clear(), console.error(line);
    bar?.handle(event);
  });

  let report;
  try {
    try {
      report = await builder.run({ signal: controller.signal });
    } finally {
      bar?.stop();
    }
    if (!options.quiet) console.log(report.terminal({ color: options.color }));
    // still under our handlers, and synchronous: a signal now waits until every file is whole
    for (const diverted of writeOutputs(report.json, options.outputs)) console.error(divertedLine(diverted));
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  if (interrupted) return signalExit;
  if (options.failOn !== "never" && compareVerdicts(options.failOn, report.json.verdict) >= 0) return 1;
  return 0;
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
    ...(Object.keys(COMMANDS).length > 0
      ? ["", "Commands:", ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(26)} ${c.summary}`)]
      : []),
    "",
    "Exit codes: 0 done, 1 a verdict at or above --fail-on, 2 bad input, 130 interrupted (SIGINT), 143 terminated (SIGTERM).",
  ].join("\n");
}
