/**
 * @module
 * The JSON Schema of the conformance document, generated from the valibot
 * `ConformanceResultSchema` with `@valibot/to-json-schema`, never written by
 * hand. `wsstress schema --conformance` prints it.
 */
import { type JsonSchema, toJsonSchema } from "@valibot/to-json-schema";
import { CONFORMANCE_SCHEMA_VERSION, ConformanceResultSchema } from "./conformance-result.ts";

export function conformanceJsonSchema(): JsonSchema {
  const generated = toJsonSchema(ConformanceResultSchema, { ignoreActions: ["finite"] });
  return {
    $schema: generated.$schema,
    title: `wsstress conformance document, schema version ${CONFORMANCE_SCHEMA_VERSION}`,
    $comment: "Generated from the valibot ConformanceResultSchema in src/model/conformance-result.ts.",
    ...generated,
  };
}
