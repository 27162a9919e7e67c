#!/usr/bin/env node
/**
 * @module
 * The `wsstress` command: `node src/bin/cli.ts --quick`, `deno run -A src/bin/cli.ts
 * --quick` or `bun src/bin/cli.ts --quick`; `wsstress <command> …` for the
 * subcommands in `cli/commands.ts`. The only place that prints and exits.
 */
import process from "node:process";
import { COMMANDS } from "../cli/commands.ts";
import { describeError, isUsageError } from "../cli/errors.ts";

async function main(argv: string[]): Promise<number> {
  const command = Object.hasOwn(COMMANDS, argv[0] ?? "") ? COMMANDS[argv[0]] : undefined;
  if (command) return (await command.load()).main(argv.slice(1));
  return (await import("../cli/run-command.ts")).main(argv);
}

/**
 * Exits once stdout and stderr have flushed. The work is done by then (results
 * written), and a socket that a broken server never lets go of (Deno's
 * WebSocket cannot be cut short) must not keep the command alive.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

try {
  exitWhenFlushed(await main(process.argv.slice(2)));
} catch (error) {
  if (isUsageError(error)) {
    console.error(`wsstress: ${describeError(error)}`);
    exitWhenFlushed(2);
  } else {
    console.error(`wsstress: ${(error as Error)?.stack ?? error}`);
    exitWhenFlushed(1);
  }
}
