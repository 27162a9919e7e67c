/**
 * @module
 * The conformance document (`wsstress conform --json`), in valibot: every
 * case run against one server, with Autobahn|Testsuite's verdicts, its close
 * behaviour, and the bytes both ways for any case that is not OK. Types are
 * inferred from the schemas; the JSON Schema is generated from them.
 */
import * as v from "valibot";
import type { Bool, IntFrom, List, Literal, NonNegative, Obj, Picklist, Str, Timestamp } from "./valibot-types.ts";
import { count, nonNegative } from "./_schema-numbers.ts";
import { MachineSchema } from "./result.ts";
import { CaseResultSchema, ConformanceVerdictSchema, VerdictCountsSchema } from "./conformance-case.ts";

export * from "./conformance-case.ts";

export const CONFORMANCE_SCHEMA_VERSION = 1;

export const ConformanceTargetSchema: Obj<{
  readonly url: Str;
  readonly embedded: Bool;
  readonly runtime: Str;
  readonly profile: Picklist<["echo", "wsstress"]>;
  readonly subprotocol: Str;
}> = v.object({
  url: v.string(),
  /** the reference server wsstress started, rather than a user's */
  embedded: v.boolean(),
  /** the reference server's runtime, or "external" */
  runtime: v.string(),
  /** how messages come back: echo (every message as it came) or wsstress (the reference protocol's echo requests) */
  profile: v.picklist(["echo", "wsstress"]),
  /** the subprotocol the server chose ("" for none) */
  subprotocol: v.string(),
});

export const ConformanceResultSchema: Obj<{
  readonly kind: Literal<"conformance">;
  readonly schemaVersion: Literal<typeof CONFORMANCE_SCHEMA_VERSION>;
  readonly tool: Obj<{ readonly name: Literal<"wsstress">; readonly version: Str }>;
  readonly runtime: Obj<{ readonly name: Str; readonly version: Str }>;
  readonly machine: typeof MachineSchema;
  readonly target: typeof ConformanceTargetSchema;
  readonly selection: List<Str>;
  readonly patienceMs: IntFrom<0>;
  readonly startedAt: Timestamp;
  readonly finishedAt: Timestamp;
  readonly durationMs: NonNegative;
  readonly status: Picklist<["complete", "aborted"]>;
  readonly counts: typeof VerdictCountsSchema;
  readonly cases: List<typeof CaseResultSchema>;
  readonly verdict: typeof ConformanceVerdictSchema;
}> = v.object({
  kind: v.literal("conformance"),
  schemaVersion: v.literal(CONFORMANCE_SCHEMA_VERSION),
  tool: v.object({ name: v.literal("wsstress"), version: v.string() }),
  runtime: v.object({ name: v.string(), version: v.string() }),
  machine: MachineSchema,
  target: ConformanceTargetSchema,
  /** the --cases patterns the cases were chosen by (the default set when empty) */
  selection: v.array(v.string()),
  /** the least any kill timer waited, ms: 0 for Autobahn's own timers (a case that expects a failed connection waits 1 s) */
  patienceMs: count,
  startedAt: v.pipe(v.string(), v.isoTimestamp()),
  finishedAt: v.pipe(v.string(), v.isoTimestamp()),
  durationMs: nonNegative,
  /** aborted: stopped by the caller; the cases that finished are kept */
  status: v.picklist(["complete", "aborted"]),
  counts: VerdictCountsSchema,
  cases: v.array(CaseResultSchema),
  /** the most severe verdict of any case (FAILED, then NON-STRICT, UNIMPLEMENTED, INFORMATIONAL, OK) */
  verdict: ConformanceVerdictSchema,
});
export type ConformanceResult = v.InferOutput<typeof ConformanceResultSchema>;

/** Validates a conformance document; throws a `v.ValiError` whose issues carry the path. */
export function parseConformance(input: unknown): ConformanceResult {
  return v.parse(ConformanceResultSchema, input);
}
