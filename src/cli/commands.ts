/**
 * The subcommands: `wsstress <command> …`. Each lives in its own file and is
 * loaded only when named; without a command, `wsstress [flags]` runs a plan.
 */
export type Command = {
  /** one line for --help */
  summary: string;
  load(): Promise<{ main(argv: string[]): Promise<number> }>;
};

export const COMMANDS: Record<string, Command> = {};
