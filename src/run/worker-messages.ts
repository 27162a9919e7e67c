/**
 * The messages between the runner and a load-generator worker process, one
 * JSON object per line. A worker runs one suite's wire layer on its share of
 * a level, stops at the peak barrier until released, and returns its facts.
 */
import type { ErrorCount, Plan, SuiteName } from "../model/result.ts";
import type { Facts } from "../model/facts.ts";
import type { Share } from "../load/placement.ts";
import type { GeneratorLoad } from "../load/generator-load.ts";
import type { ConnectionSettings } from "../profiles/connection-settings.ts";
import type { Level } from "../model/levels.ts";

export type ToWorker =
  /** `connection` may hold secrets (header values, tokens): it goes down the pipe to our own child, never into a result */
  | { type: "wire"; id: number; suite: SuiteName; level: Level; plan: Plan; share: Share; serverDeflate: boolean; connection: ConnectionSettings }
  /** every share reached the peak and the servers were measured: close and finish */
  | { type: "release"; id: number }
  | { type: "abort"; id: number };

export type FromWorker =
  | { type: "peak"; id: number }
  | {
    type: "done";
    id: number;
    facts: Facts;
    errors: ErrorCount[];
    notes: string[];
    load: GeneratorLoad;
    /** set when the wire layer threw; the facts hold what it measured before */
    failure?: string;
  };
