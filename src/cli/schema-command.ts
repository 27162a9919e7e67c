/**
 * `wsstress schema`: prints the JSON Schema of the result document, generated
 * from the valibot schema (never written by hand), for editors, validators
 * and other tools that read `--json` files.
 */
import { comparisonJsonSchema, resultJsonSchema } from "../model/result-json-schema.ts";
import { VERSION } from "../model/version.ts";
import { type Flag, flagRows, HELP_FLAG, parseFlags, positionals } from "./_subcommand.ts";

const FLAGS = {
  comparison: { type: "boolean", help: "print the comparison document's (what wsstress compare --json writes) instead" },
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function schemaHelp(): string {
  return [
    `wsstress ${VERSION} schema: the JSON Schema of the result document`,
    "",
    "Usage: wsstress schema > wsstress-result.schema.json",
    "       wsstress schema --comparison > wsstress-comparison.schema.json",
    "",
    "Prints the JSON Schema (draft-07) of what --json writes, generated from the valibot",
    "ResultSchema in src/model/result.ts with @valibot/to-json-schema.",
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 done, 2 bad input.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: given } = parseFlags("schema", argv, FLAGS);
  if (values.help) return void console.log(schemaHelp()), 0;
  positionals("schema", given, []);
  console.log(JSON.stringify(values.comparison ? comparisonJsonSchema() : resultJsonSchema(), null, 2));
  return 0;
}
