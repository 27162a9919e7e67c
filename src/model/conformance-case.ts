/**
 * @module
 * One conformance case's result, in valibot: Autobahn|Testsuite's verdicts,
 * the close behaviour, and the frames both ways. Shared by the conformance
 * document (`conformance-result.ts`) and a stress run's conformance under
 * load (`conformance-under-load.ts`); types inferred from the schemas.
 */
import * as v from "valibot";
import type { Bool, IntFrom, List, NonNegative, Obj, Picklist, Str } from "./valibot-types.ts";
import { count, nonNegative } from "./_schema-numbers.ts";

/** Autobahn's verdicts, best first: passed, passed but not strictly, no verdict by design, the server lacks the feature, failed. */
export const CONFORMANCE_VERDICTS = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"] as const;
export const ConformanceVerdictSchema: v.PicklistSchema<typeof CONFORMANCE_VERDICTS, undefined> = v.picklist(CONFORMANCE_VERDICTS);
export type ConformanceVerdict = v.InferOutput<typeof ConformanceVerdictSchema>;

/** How the connection ended, judged as Autobahn judges it. */
export const CLOSE_BEHAVIOURS = ["OK", "FAILED", "UNCLEAN", "WRONG CODE", "FAILED BY CLIENT", "INFORMATIONAL"] as const;

export const WireEntrySchema: Obj<{
  readonly atMs: NonNegative;
  readonly dir: Picklist<["sent", "received", "event"]>;
  readonly note: Str;
  readonly bytes: IntFrom<0>;
  readonly hex: Str;
}> = v.object({
  /** ms since the case started */
  atMs: nonNegative,
  dir: v.picklist(["sent", "received", "event"]),
  /** the frame (opcode, fin, reserved bits, length, the start of its text), the handshake, or what happened */
  note: v.string(),
  /** its length on the wire */
  bytes: count,
  /** the first 48 bytes in hex, "…" after them when there were more */
  hex: v.string(),
});
export type WireEntry = v.InferOutput<typeof WireEntrySchema>;

export const CaseCloseSchema: Obj<{
  readonly behaviour: v.PicklistSchema<typeof CLOSE_BEHAVIOURS, undefined>;
  readonly text: Str;
  readonly closedBy: Picklist<["client", "server"]>;
  readonly clean: Bool;
  readonly code: v.OptionalSchema<IntFrom<0>, undefined>;
  readonly reason: v.OptionalSchema<Str, undefined>;
  readonly droppedBy: Picklist<["client", "server"]>;
}> = v.object({
  behaviour: v.picklist(CLOSE_BEHAVIOURS),
  text: v.string(),
  /** who started the close (a close frame, or dropping the TCP connection) */
  closedBy: v.picklist(["client", "server"]),
  /** both close frames crossed and the server closed the TCP connection */
  clean: v.boolean(),
  /** the code of the server's close frame (absent: it sent none, or one without a code) */
  code: v.optional(count),
  reason: v.optional(v.string()),
  /** who closed the TCP connection */
  droppedBy: v.picklist(["client", "server"]),
});
export type CaseClose = v.InferOutput<typeof CaseCloseSchema>;

export const CaseResultSchema: Obj<{
  readonly id: v.SchemaWithPipe<readonly [Str, v.RegexAction<string, undefined>]>;
  readonly description: Str;
  readonly expectation: Str;
  readonly verdict: typeof ConformanceVerdictSchema;
  readonly reason: Str;
  readonly close: v.OptionalSchema<typeof CaseCloseSchema, undefined>;
  readonly durationMs: NonNegative;
  readonly compression: v.OptionalSchema<Obj<{ readonly payloadBytes: IntFrom<0>; readonly wireBytes: IntFrom<0> }>, undefined>;
  readonly wire: v.OptionalSchema<List<typeof WireEntrySchema>, undefined>;
}> = v.object({
  /** the Autobahn case number it corresponds to, e.g. 6.4.2 */
  id: v.pipe(v.string(), v.regex(/^\d+(\.\d+)+$/)),
  description: v.string(),
  expectation: v.string(),
  verdict: ConformanceVerdictSchema,
  /** why: what matched, or what differed */
  reason: v.string(),
  /** absent when the connection never opened */
  close: v.optional(CaseCloseSchema),
  durationMs: nonNegative,
  /** the deflate cases: data payload bytes both ways, and what they took on the wire */
  compression: v.optional(v.object({ payloadBytes: count, wireBytes: count })),
  /** what was sent and received, kept for every case that is not OK */
  wire: v.optional(v.array(WireEntrySchema)),
});
export type CaseResult = v.InferOutput<typeof CaseResultSchema>;

type Counts = Obj<{ readonly [K in (typeof CONFORMANCE_VERDICTS)[number]]: IntFrom<0> }>;
export const VerdictCountsSchema: Counts = v.object({
  OK: count,
  "NON-STRICT": count,
  INFORMATIONAL: count,
  UNIMPLEMENTED: count,
  FAILED: count,
});
export type VerdictCounts = v.InferOutput<typeof VerdictCountsSchema>;

/**
 * How bad each verdict is: INFORMATIONAL and UNIMPLEMENTED judge nothing, so
 * they sit between OK and NON-STRICT; a comparison calls a rise "worse".
 */
export const VERDICT_SEVERITY: Readonly<Record<ConformanceVerdict, number>> = {
  OK: 0,
  INFORMATIONAL: 1,
  UNIMPLEMENTED: 2,
  "NON-STRICT": 3,
  FAILED: 4,
};

/** The most severe verdict of `verdicts` (OK when there are none). */
export function worstVerdict(verdicts: Iterable<ConformanceVerdict>): ConformanceVerdict {
  let worst: ConformanceVerdict = "OK";
  for (const verdict of verdicts) if (VERDICT_SEVERITY[verdict] > VERDICT_SEVERITY[worst]) worst = verdict;
  return worst;
}

export const noCounts = (): VerdictCounts => ({ OK: 0, "NON-STRICT": 0, INFORMATIONAL: 0, UNIMPLEMENTED: 0, FAILED: 0 });
