/**
 * The subcommands: `wsstress <command> …`. Each lives in its own file and is
 * loaded only when named; without a command, `wsstress [flags]` runs a plan.
 */
export type Command = {
  /** one line for --help */
  summary: string;
  load(): Promise<{ main(argv: string[]): Promise<number> }>;
};

export const COMMANDS: Record<string, Command> = {
  conform: {
    summary: "check a server against RFC 6455 and RFC 7692: Autobahn's cases over raw sockets",
    load: () => import("./conform-command.ts"),
  },
  matrix: {
    summary: "compare runtimes: the plan on every Node/Deno/Bun server × client pairing",
    load: () => import("./matrix-command.ts"),
  },
  compare: {
    summary: "compare runs with a baseline, metric by metric, called beyond the noise; exit 1 on a regression",
    load: () => import("./compare-command.ts"),
  },
  merge: { summary: "join the results of the shards of one plan (--shard i/n) into one result", load: () => import("./merge-command.ts") },
  serve: {
    summary: "run the reference server on its own until stopped, for --target and for shards to share",
    load: () => import("./serve-command.ts"),
  },
  alerts: { summary: "Prometheus alerting rules from the thresholds in force, or a result's", load: () => import("./alerts-command.ts") },
  report: { summary: "rebuild full reports (HTML, markdown, JSON…) from a --jsonl stream", load: () => import("./report-command.ts") },
  schema: { summary: "print the JSON Schema of the result document", load: () => import("./schema-command.ts") },
};
