/** What a run reports while it goes, to `onProgress`; the library itself never prints. */
import type { Level } from "./levels.ts";
import type { LevelResult, Plan, Result, SuiteName, SuiteResult } from "../report/schema.ts";

export type ProgressEvent =
  | { type: "run-start"; plan: Plan; server: Result["server"]; startedAt: string; runtime: Result["runtime"]; machine: Result["machine"] }
  | { type: "warmup"; level: Level }
  /** the warm-up's faults, judged like a level's (no figure of it is measured) */
  | { type: "warmup-end"; result: LevelResult }
  /** `startAt` was given: the levels wait for it (`waitMs` 0 when it had already passed) */
  | { type: "start-wait"; startAt: string; waitMs: number }
  | { type: "level-start"; level: Level; index: number; total: number }
  | { type: "suite-start"; level: Level; suite: SuiteName }
  | { type: "suite-end"; level: Level; result: SuiteResult }
  | { type: "level-end"; result: LevelResult }
  | { type: "run-end"; result: Result };

export type ProgressListener = (event: ProgressEvent) => void;
