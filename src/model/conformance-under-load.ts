/**
 * @module
 * A stress run's conformance under load (`--conform`): the sample of cases
 * run on extra connections while a level's suites load the server, counted
 * over every round. A protocol violation (a FAILED case whose connection
 * opened) fails the level; so does a deflate negotiation that failed where
 * the idle server negotiated it.
 */
import * as v from "valibot";
import type { IntFrom, List, Obj, Picklist, Str } from "./valibot-types.ts";
import { count, positiveCount } from "./_schema-numbers.ts";
import { ConformanceVerdictSchema, VerdictCountsSchema, WireEntrySchema } from "./conformance-case.ts";
import { VerdictSchema } from "./result-names.ts";

export const SampleFailureSchema: Obj<{
  readonly id: Str;
  readonly verdict: typeof ConformanceVerdictSchema;
  readonly count: IntFrom<1>;
  readonly reason: Str;
  readonly wire: v.OptionalSchema<List<typeof WireEntrySchema>, undefined>;
}> = v.object({
  id: v.string(),
  verdict: ConformanceVerdictSchema,
  /** the runs of this case with this verdict */
  count: positiveCount,
  /** the first one's reason */
  reason: v.string(),
  /** the first one's frames */
  wire: v.optional(v.array(WireEntrySchema)),
});

export const LevelConformanceSchema: Obj<{
  readonly rounds: IntFrom<0>;
  readonly runs: IntFrom<0>;
  readonly counts: typeof VerdictCountsSchema;
  readonly violations: IntFrom<0>;
  readonly unopened: IntFrom<0>;
  readonly closeCodes: v.RecordSchema<Str, IntFrom<0>, undefined>;
  readonly deflate: Obj<{ readonly offered: IntFrom<0>; readonly negotiated: IntFrom<0>; readonly failures: IntFrom<0> }>;
  readonly failures: List<typeof SampleFailureSchema>;
  readonly verdict: typeof VerdictSchema;
}> = v.object({
  /** complete passes over the sample */
  rounds: count,
  /** cases run, over all rounds */
  runs: count,
  counts: VerdictCountsSchema,
  /** FAILED runs whose connection opened: the server broke the protocol */
  violations: count,
  /** runs whose connection never opened (refused, no handshake answer): counted apart, warned */
  unopened: count,
  /** the close codes the server sent, by code; "none" for a connection it dropped without a close frame */
  closeCodes: v.record(v.string(), count),
  /** the deflate case's handshakes: offered, negotiated, and failed (declined when the idle server took it, or answered wrongly) */
  deflate: v.object({ offered: count, negotiated: count, failures: count }),
  /** every case that was not OK or INFORMATIONAL in some run, by verdict */
  failures: v.array(SampleFailureSchema),
  /** fail: a violation or a deflate failure; warn: connections that never opened; pass: neither; none: nothing ran */
  verdict: VerdictSchema,
});
export type LevelConformance = v.InferOutput<typeof LevelConformanceSchema>;

export const RunConformanceSchema: Obj<{
  readonly sample: List<Str>;
  readonly profile: Picklist<["echo", "wsstress", "any"]>;
  readonly idle: typeof LevelConformanceSchema;
}> = v.object({
  /** the case ids of the sample */
  sample: v.array(v.string()),
  /** how messages came back: an echo, the reference protocol, or any (only the cases that need no echo ran) */
  profile: v.picklist(["echo", "wsstress", "any"]),
  /** one round before the first level, on the idle server: what the levels are held to */
  idle: LevelConformanceSchema,
});
export type RunConformance = v.InferOutput<typeof RunConformanceSchema>;
