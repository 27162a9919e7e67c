/**
 * What every subcommand does the same way: flags parsed with `parseArgs`
 * into a `UsageError` (exit 2) on bad input, and `--help` printed from the
 * same flag table, so the two cannot drift.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

export type Flag = { type: "boolean" | "string"; multiple?: boolean; short?: string; value?: string; help: string };

export function flagRows(flags: Record<string, Flag>): string[] {
  return Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${f.value ? ` ${f.value}` : ""}`;
    return `  ${left.padEnd(26)} ${f.help}`;
  });
}

export function parseFlags<const F extends Record<string, Flag>>(command: string, argv: string[], flags: F) {
  try {
    return parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run wsstress ${command} --help for the flags.`);
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
