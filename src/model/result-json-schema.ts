/**
 * @module
 * The JSON Schema of the result document, generated from the valibot
 * `ResultSchema` (the single source of truth) with `@valibot/to-json-schema`,
 * never written by hand. `wsstress schema` prints it; `wsstress schema
 * --comparison` prints the comparison document's, from `ComparisonSchema`.
 *
 * @example
 * ```ts
 * import { resultJsonSchema } from "./result-json-schema.ts";
 * console.log(JSON.stringify(resultJsonSchema(), null, 2));
 * ```
 */
import { type JsonSchema, toJsonSchema } from "@valibot/to-json-schema";
import { ResultSchema, SCHEMA_VERSION } from "./result.ts";
import { COMPARISON_SCHEMA_VERSION, ComparisonSchema } from "./comparison-document.ts";

/**
 * Two valibot actions have no JSON Schema form: `finite` (JSON has no
 * Infinity or NaN, so every JSON number is finite anyway) and `check` (a
 * threshold's excellent must be at least as strict as its good). They are
 * left out, and the `$comment` says what `parseResult` checks beyond them.
 */
const IGNORED_ACTIONS = ["finite", "check"];

export function resultJsonSchema(): JsonSchema {
  const generated = toJsonSchema(ResultSchema, { ignoreActions: IGNORED_ACTIONS });
  return {
    $schema: generated.$schema,
    title: `wsstress result document, schema version ${SCHEMA_VERSION}`,
    $comment: "Generated from the valibot ResultSchema in src/model/result.ts. parseResult() also checks what JSON Schema cannot say: " +
      "a threshold's excellent is at least as strict as its good.",
    ...generated,
  };
}

/** The comparison document's (`wsstress compare --json`), generated from `ComparisonSchema` the same way. */
export function comparisonJsonSchema(): JsonSchema {
  const generated = toJsonSchema(ComparisonSchema, { ignoreActions: IGNORED_ACTIONS });
  return {
    $schema: generated.$schema,
    title: `wsstress comparison document, schema version ${COMPARISON_SCHEMA_VERSION}`,
    $comment: "Generated from the valibot ComparisonSchema in src/model/comparison-document.ts.",
    ...generated,
  };
}
