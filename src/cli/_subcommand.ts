/**
 * What every subcommand does the same way: flags parsed with `parseArgs`
 * into a `UsageError` (exit 2) on bad input, and `--help` printed from the
 * same flag table, so the two cannot drift.
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

export type Flag = { type: "boolean" | "string"; multiple?: boolean; short?: string; value?: string; help: string };

/** Flags that mean the same in every command, so their help reads the same everywhere. */
export const HELP_FLAG = { type: "boolean", short: "h", help: "show this help" } as const satisfies Flag;
export const NO_COLOR_FLAG = { type: "boolean", help: "plain output (also when NO_COLOR is set or stdout is not a terminal)" } as const satisfies Flag;
export const FAIL_ON_FLAG = { type: "string", value: "V", help: "exit 1 when a verdict at or above V occurs: fail, warn or never (default never)" } as const satisfies Flag;
export const MARKDOWN_FLAG = { type: "string", value: "FILE", help: "write the markdown report to FILE" } as const satisfies Flag;
export const PROMETHEUS_FLAG = { type: "string", value: "FILE", help: "write the figures to FILE in Prometheus text exposition format" } as const satisfies Flag;
export const HTML_FLAG = { type: "string", value: "FILE", help: "write the HTML report with charts to FILE (one self-contained page)" } as const satisfies Flag;
export const QUIET_FLAG = { type: "boolean", short: "q", help: "do not print the terminal report" } as const satisfies Flag;

/** `raw` if it is one of `allowed`, else a usage error that lists them. */
export function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${flag} "${raw}" is not allowed; allowed: ${allowed.join(", ")}`);
  return raw as T;
}

/** Colour only on a terminal, and never when --no-color or NO_COLOR says no. */
export const wantsColor = (noColor: boolean | undefined): boolean => !noColor && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);

export function flagRows(flags: Record<string, Flag>): string[] {
  return Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${f.value ? ` ${f.value}` : ""}`;
    return `  ${left.padEnd(26)} ${f.help}`;
  });
}

/**
 * `--rate -5` as `--rate=-5`: `parseArgs` refuses a value that starts with a
 * dash as ambiguous, but no flag of ours looks like a negative number, so the
 * flag's own check can say what it allows.
 */
function joinNegativeValues(argv: readonly string[], flags: Record<string, Flag>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") return [...out, ...argv.slice(i)];
    const flag = arg.startsWith("--") ? flags[arg.slice(2)] : undefined;
    if (flag?.type === "string" && /^-\.?\d/.test(argv[i + 1] ?? "")) out.push(`${arg}=${argv[++i]}`);
    else out.push(arg);
  }
  return out;
}

/** `parseArgs`' message in one line: its advice runs over three lines and ends in a period we follow with our own. */
function oneLine(message: string, argv: readonly string[]): string {
  const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) {
    const next = argv[argv.indexOf(ambiguous[1]) + 1];
    return `${ambiguous[1]} needs a value, and "${next}" is a flag; a value that starts with a dash is written ${ambiguous[1]}=${next}`;
  }
  return message.split("\n")[0].replace(/\. To specify a positional argument .*$/, "").replace(/\.$/, "");
}

/** The flags of `wsstress [command]`; `command` is "" for the run itself. */
export function parseFlags<const F extends Record<string, Flag>>(
  command: string,
  argv: string[],
  flags: F,
  { allowPositionals = true } = {},
) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, flags), options: flags, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(`${oneLine((error as Error).message, argv)}. Run wsstress ${command ? `${command} ` : ""}--help for the flags.`);
  }
}

/** Exactly `names.length` positionals, or a usage error naming the missing or extra ones. */
export function positionals(command: string, given: string[], names: string[]): string[] {
  if (given.length < names.length) {
    throw new UsageError(`${command} needs ${names.join(" and ")}; missing ${names.slice(given.length).join(" and ")}. Run wsstress ${command} --help`);
  }
  if (given.length > names.length) {
    const takes = names.length ? names.join(" and ") : "no arguments";
    throw new UsageError(`${command} takes ${takes}; unexpected "${given.slice(names.length).join(" ")}". Run wsstress ${command} --help`);
  }
  return given;
}
