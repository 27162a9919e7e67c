/**
 * `wsstress schema`: prints the JSON Schema of the result document, generated
 * from the valibot schema (never written by hand), for editors, validators
 * and other tools that read `--json` files.
 */
import { comparisonJsonSchema, resultJsonSchema } from "../model/result-json-schema.ts";
import { conformanceJsonSchema } from "../model/conformance-json-schema.ts";
import { inputError } from "../model/input-error.ts";
import { VERSION } from "../model/version.ts";
import { type Flag, flagRows, HELP_FLAG, parseFlags, positionals } from "./_subcommand.ts";

const FLAGS = {
  conformance: { type: "boolean", help: "the schema of the conformance document (wsstress conform --json) instead" },
  comparison: { type: "boolean", help: "print the comparison document's (what wsstress compare --json writes) instead" },
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function schemaHelp(): string {
  return [
    `wsstress ${VERSION} schema: the JSON Schema of the result document`,
    "",
    "Usage: wsstress schema > wsstress-result.schema.json",
    "       wsstress schema --conformance > wsstress-conformance.schema.json",
    "       wsstress schema --comparison > wsstress-comparison.schema.json",
    "",
    "Prints the JSON Schema (draft-07) of what --json writes, generated from the valibot",
    "ResultSchema in src/model/result.ts with @valibot/to-json-schema; with --conformance,",
    "of what wsstress conform --json writes, from ConformanceResultSchema.",
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
  if (values.conformance && values.comparison) {
    throw inputError("wsstress schema", "--conformance and --comparison both given", "one of them");
  }
  const schema = values.conformance ? conformanceJsonSchema() : values.comparison ? comparisonJsonSchema() : resultJsonSchema();
  console.log(JSON.stringify(schema, null, 2));
  return 0;
}
