/**
 * What every subcommand does the same way: flags parsed with `parseArgs`
 * into a `UsageError` (exit 2) on bad input, and `--help` printed from the
 * same flag table, so the two cannot drift.
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { inputError } from "../model/input-error.ts";
import { UsageError } from "./errors.ts";

export type Flag = { type: "boolean" | "string"; multiple?: boolean; short?: string; value?: string; help: string };

/** Flags that mean the same in every command, so their help reads the same everywhere. */
export const HELP_FLAG = { type: "boolean", short: "h", help: "show this help" } as const satisfies Flag;
export const NO_COLOR_FLAG = {
  type: "boolean",
  help: "plain output (also when NO_COLOR is set or stdout is not a terminal)",
} as const satisfies Flag;
export const FAIL_ON_FLAG = {
  type: "string",
  value: "V",
  help: "exit 1 when a verdict at or above V occurs: fail, warn or never (default never)",
} as const satisfies Flag;
export const MARKDOWN_FLAG = { type: "string", value: "FILE", help: "write the markdown report to FILE" } as const satisfies Flag;
export const PROMETHEUS_FLAG = {
  type: "string",
  value: "FILE",
  help: "write the figures to FILE in Prometheus text exposition format",
} as const satisfies Flag;
export const HTML_FLAG = {
  type: "string",
  value: "FILE",
  help: "write the HTML report with charts to FILE (one self-contained page)",
} as const satisfies Flag;
export const ALERT_RULES_FLAG = {
  type: "string",
  value: "FILE",
  help: "write Prometheus alerting rules from the thresholds in force to FILE: one per judged metric, ❌ critical, ⚠️ warning",
} as const satisfies Flag;
export const QUIET_FLAG = { type: "boolean", short: "q", help: "do not print the terminal report" } as const satisfies Flag;

/** `raw` if it is one of `allowed`, else the input formatter's line, with the nearest when it looks mistyped. */
export function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw inputError(`--${flag}`, `unknown value "${raw}"`, { names: allowed, given: raw });
  }
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

/**
 * The flags of `wsstress [command]` (`command` is "" for the run itself). An
 * unknown flag, or one without its value, is found here first, so the message
 * is the input formatter's ("did you mean") on every runtime, rather than
 * `parseArgs`' own, whose advice about `--` does not fit a mistyped flag.
 */
export function parseFlags<const F extends Record<string, Flag>>(
  command: string,
  argv: string[],
  flags: F,
  { allowPositionals = true } = {},
) {
  const help = `wsstress${command ? ` ${command}` : ""} --help`;
  const names = Object.keys(flags).map((f) => `--${f}`);
  const shorts = new Map(Object.entries(flags).flatMap(([name, f]) => (f.short ? [[`-${f.short}`, name]] : [])));
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === "--") break;
    if (!token.startsWith("-") || token === "-") continue;
    const name = token.startsWith("--") ? token.slice(2).split("=")[0] : shorts.get(token);
    if (name === undefined || !Object.hasOwn(flags, name)) {
      throw inputError(token.split("=")[0], "unknown flag", { names, given: token.split("=")[0], more: `as ${help} lists them` });
    }
    if (flags[name].type !== "string" || token.includes("=")) continue;
    const value = argv[i + 1];
    const form = `--${name} ${flags[name].value ?? "VALUE"}`;
    if (value === undefined) throw inputError(`--${name}`, "needs a value", form);
    // a negative number is a value (`--rate -5` is checked like `--rate=-5`); any other dash starts a flag
    if (value.startsWith("-") && !/^-\.?\d/.test(value)) {
      throw inputError(
        `--${name}`,
        `needs a value, and "${value}" is a flag`,
        `${form}, or --${name}=${value} for a value that starts with a dash`,
      );
    }
    i++;
  }
  try {
    return parseArgs({ args: joinNegativeValues(argv, flags), options: flags, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(`${oneLine((error as Error).message, argv)}. Run ${help} for the flags.`);
  }
}

/** Exactly `names.length` positionals, or the input formatter's line naming the missing or extra ones. */
export function positionals(command: string, given: string[], names: string[]): string[] {
  const takes = names.length ? names.join(" ") : "no arguments, only flags";
  const subject = `wsstress${command ? ` ${command}` : ""}`;
  if (given.length < names.length) throw inputError(subject, `missing ${names.slice(given.length).join(" and ")}`, takes);
  if (given.length > names.length) throw inputError(subject, `unexpected argument "${given.slice(names.length).join(" ")}"`, takes);
  return given;
}
