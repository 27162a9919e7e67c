/** `wsstress [flags]`: runs the plan the flags describe and prints the report. */
import { writeFile } from "node:fs/promises";
import process from "node:process";
import { stress, type StressBuilder } from "../core/builder.ts";
import { compareVerdicts } from "../core/verdicts.ts";
import { ANSI, PLAIN } from "../report/format.ts";
import { parseResult } from "../report/schema.ts";
import { VERSION } from "../version.ts";
import { type CliOptions, helpText, parseCli } from "./args.ts";
import { progressLine } from "./progress.ts";

function builderFor(options: CliOptions): StressBuilder {
  let b = stress();
  if (options.quick) b = b.quick();
  if (options.maxLoad !== undefined) b = b.maxLoad(options.maxLoad);
  if (options.levels.length > 0) b = b.level(...options.levels);
  if (options.suites.length > 0) b = b.suite(...options.suites);
  if (Object.keys(options.thresholds).length > 0) b = b.thresholds(options.thresholds);
  if (options.window !== undefined) b = b.window(options.window);
  if (options.timeoutMs !== undefined) b = b.timeout(options.timeoutMs);
  return b;
}

export async function main(argv: string[]): Promise<number> {
  const options = parseCli(argv, { noColor: Boolean(process.env.NO_COLOR), isTTY: Boolean(process.stdout.isTTY) });
  if (options.help) return void console.log(helpText(VERSION)), 0;
  if (options.version) return void console.log(VERSION), 0;
  const style = options.color ? ANSI : PLAIN;
  let builder = builderFor(options);
  builder.plan();

  const controller = new AbortController();
  let interrupted = 0;
  const onSignal = (): void => {
    if (++interrupted > 1) process.exit(130);
    console.error("\ninterrupted: stopping the load and keeping every finished result (Ctrl-C again to quit now)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  builder = builder.onProgress((event) => {
    const line = progressLine(event, style);
    if (line !== undefined) console.error(line);
  });

  const report = await builder.run({ signal: controller.signal });
  process.off("SIGINT", onSignal);
  console.log(report.terminal({ color: options.color }));
  // validated again right before it is written: nothing invalid ever reaches a file
  if (options.json) await writeFile(options.json, JSON.stringify(parseResult(report.json), null, 2) + "\n");
  if (options.markdown) await writeFile(options.markdown, report.markdown());
  if (interrupted) return 130;
  if (options.failOn !== "never" && compareVerdicts(options.failOn, report.json.verdict) >= 0) return 1;
  return 0;
}

