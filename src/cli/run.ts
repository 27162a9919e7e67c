/** `wsstress [flags]`: runs the plan the flags describe and prints the report. */
import { readFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { stress, type StressBuilder } from "../core/builder.ts";
import { compareVerdicts } from "../core/verdicts.ts";
import { namesProfileModule } from "../profiles/builtin.ts";
import { ANSI, PLAIN } from "../report/format.ts";
import { VERSION } from "../version.ts";
import { type CliOptions, helpText, parseCli } from "./args.ts";
import { UsageError } from "./errors.ts";
import { checkOutputPaths, type InputFile } from "./output-paths.ts";
import { jsonlSink } from "./jsonl-sink.ts";
import { writeOutputs } from "./outputs.ts";
import { divertedLine } from "./write-whole.ts";
import { progressLine } from "./progress.ts";
import { ProgressBar } from "./progress-bar.ts";

function builderFor(options: CliOptions): StressBuilder {
  let b = stress();
  if (options.quick) b = b.quick();
  if (options.full) b = b.upTo("maximum");
  if (options.connectionsPerProcess !== undefined) b = b.connectionsPerProcess(options.connectionsPerProcess);
  if (options.rate !== undefined) b = b.rate(options.rate);
  if (options.p99BoundMs !== undefined) b = b.p99Bound(options.p99BoundMs);
  if (options.maxLoad !== undefined) b = b.maxLoad(options.maxLoad);
  if (options.levels.length > 0) b = b.level(...options.levels);
  if (options.suites.length > 0) b = b.suite(...options.suites);
  if (Object.keys(options.thresholds).length > 0) b = b.thresholds(options.thresholds);
  if (options.window !== undefined) b = b.window(options.window);
  if (options.timeoutMs !== undefined) b = b.timeout(options.timeoutMs);
  if (options.onError !== undefined) b = b.onError(options.onError);
  if (options.target !== undefined) b = b.target(options.target, { allowRemote: options.allowRemote });
  if (options.profile !== undefined) b = b.profile(options.profile);
  if (Object.keys(options.headers).length > 0) b = b.headers(options.headers);
  if (options.subprotocols.length > 0) b = b.subprotocols(...options.subprotocols);
  if (Object.keys(options.tokens).length > 0) b = b.tokens(options.tokens);
  if (options.ca !== undefined) b = b.ca(readCa(options.ca));
  if (options.shard !== undefined) b = b.shard(options.shard.index, options.shard.count);
  if (options.startAt !== undefined) b = b.startAt(options.startAt);
  return b;
}

/** The files a run reads, which no output may name: the CA and a profile module on disk. */
function inputsOf(options: CliOptions): InputFile[] {
  const inputs: InputFile[] = options.ca === undefined ? [] : [{ role: "--ca", file: options.ca }];
  const profile = options.profile;
  if (profile !== undefined && namesProfileModule(profile) && !/^https?:/.test(profile)) {
    inputs.push({ role: "--profile", file: profile.startsWith("file:") ? fileURLToPath(profile) : profile });
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
  const options = parseCli(argv, { noColor: Boolean(process.env.NO_COLOR), isTTY: Boolean(process.stdout.isTTY) });
  if (options.help) return void console.log(helpText(VERSION)), 0;
  if (options.version) return void console.log(VERSION), 0;
  const style = options.color ? ANSI : PLAIN;
  let builder = builderFor(options);
  builder.plan();
  checkOutputPaths(
    { json: options.json, markdown: options.markdown, html: options.html, prometheus: options.prometheus, jsonl: options.jsonl },
    inputsOf(options),
  );

  const controller = new AbortController();
  let interrupted = 0;
  // the shell's convention: 128 + the signal's number
  let signalExit = 130;
  // the bar only where a person watches: never in a log or a pipe
  const bar = process.stderr.isTTY ? new ProgressBar((text) => process.stderr.write(text), { columns: () => process.stderr.columns || 100 }) : undefined;
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
  const jsonl = options.jsonl ? jsonlSink(options.jsonl, { force: options.force }) : undefined;
  builder = builder.onProgress((event) => {
    jsonl?.(event); // first: the line is on disk whatever happens next
    const line = progressLine(event, style);
    bar?.clear();
    if (line !== undefined) console.error(line);
    bar?.handle(event);
  });

  let report;
  try {
    try {
      report = await builder.run({ signal: controller.signal });
    } finally {
      bar?.stop();
    }
    console.log(report.terminal({ color: options.color }));
    // still under our handlers, and synchronous: a signal now waits until every file is whole
    for (const diverted of writeOutputs(report.json, options)) console.error(divertedLine(diverted));
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
  if (interrupted) return signalExit;
  if (options.failOn !== "never" && compareVerdicts(options.failOn, report.json.verdict) >= 0) return 1;
  return 0;
}

