/**
 * What runs report while they go: a run's events to `onProgress` (the
 * library itself never prints; a suite's own progress is in
 * `suite-progress.ts`), the matrix's, and the lines a matrix client process
 * writes on its stderr, which cross a process boundary and are validated
 * there (`ClientEventSchema`).
 */
import * as v from "valibot";
import type { Finite, Literal, Obj, Str } from "./valibot-types.ts";
import type { Level } from "./levels.ts";
import { finite } from "./_schema-numbers.ts";
import type { SuiteProgress } from "./suite-progress.ts";
import { type Matrix, type MatrixPlan, type PairingRun, ProcessUsageSchema, type RuntimeExecutable } from "./matrix-document.ts";
import {
  type LevelResult,
  type Plan,
  type Result,
  type SuiteId,
  SuiteIdSchema,
  type SuiteResult,
  type Verdict,
  VerdictSchema,
} from "./result.ts";

export type ProgressEvent =
  /** `.dashboard()` is serving the live page here, before anything else; `remote`: on every interface, not only loopback */
  | { type: "dashboard"; url: string; remote: boolean }
  | { type: "run-start"; plan: Plan; server: Result["server"]; startedAt: string; runtime: Result["runtime"]; machine: Result["machine"] }
  | { type: "warmup"; level: Level }
  /** the warm-up's faults, judged like a level's (no figure of it is measured) */
  | { type: "warmup-end"; result: LevelResult }
  /** `startAt` was given: the levels wait for it (`waitMs` 0 when it had already passed) */
  | { type: "start-wait"; startAt: string; waitMs: number }
  | { type: "level-start"; level: Level; index: number; total: number }
  | { type: "suite-start"; level: Level; suite: SuiteId }
  /** what the suite has done so far: a few times a second while it runs (sampled, never per message), and when its wire layer ends */
  | { type: "suite-progress"; level: Level; suite: SuiteId; progress: SuiteProgress }
  | { type: "suite-end"; level: Level; result: SuiteResult }
  | { type: "level-end"; result: LevelResult }
  | { type: "run-end"; result: Result };

export type ProgressListener = (event: ProgressEvent) => void;

/** What a matrix client process reports while it runs, one JSON line each on its stderr (`src/bin/matrix-client.ts`). */
export const ClientEventSchema: v.VariantSchema<"event", [
  Obj<{ readonly event: Literal<"measure-start"> }>,
  Obj<{
    readonly event: Literal<"suite-end">;
    readonly level: Str;
    readonly suite: typeof SuiteIdSchema;
    readonly status: Str;
    readonly verdict: typeof VerdictSchema;
    readonly durationMs: Finite;
  }>,
  Obj<{ readonly event: Literal<"measure-end">; readonly usage: typeof ProcessUsageSchema }>,
], undefined> = v.variant("event", [
  /** the first measured level starts: the server's CPU time is read from here */
  v.object({ event: v.literal("measure-start") }),
  v.object({
    event: v.literal("suite-end"),
    level: v.string(),
    suite: SuiteIdSchema,
    status: v.string(),
    verdict: VerdictSchema,
    durationMs: finite,
  }),
  /** the levels are done: the client's own CPU time over them and its peak memory */
  v.object({ event: v.literal("measure-end"), usage: ProcessUsageSchema }),
]);
export type ClientEvent = v.InferOutput<typeof ClientEventSchema>;

export type MatrixProgressEvent =
  | { type: "matrix-start"; matrix: MatrixPlan; runtimes: RuntimeExecutable[] }
  | { type: "pairing-start"; round: number; rounds: number; index: number; total: number; pairing: string }
  | {
    type: "suite-end";
    round: number;
    pairing: string;
    level: string;
    suite: SuiteId;
    status: string;
    verdict: Verdict;
    durationMs: number;
  }
  | { type: "pairing-end"; round: number; pairing: string; run: PairingRun }
  | { type: "matrix-end"; matrix: Matrix };

export type MatrixProgressListener = (event: MatrixProgressEvent) => void;
