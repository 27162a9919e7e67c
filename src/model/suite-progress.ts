/**
 * A suite's progress while it runs: what one load process has counted so far
 * (`ShareProgressJson`, which crosses the process boundary from a worker and
 * is validated there), and what the run reports after merging every
 * process's (`SuiteProgress`, the payload of a `suite-progress` event).
 */
import * as v from "valibot";
import { HistogramJsonSchema } from "./histogram.ts";
import { count, nonNegative } from "./_schema-numbers.ts";

/** What one process has counted of a suite, as JSON: a phase's histogram only when it changed since the last message. */
export const ShareProgressSchema = v.object({
  /** the phases in the order they started: a suite opens its connections, then does what it exists for */
  phases: v.array(v.object({ label: v.string(), planned: count, done: count, latency: v.optional(HistogramJsonSchema) })),
  errors: count,
  sockets: count,
  bytes: v.optional(count),
  /** this process over the last interval: its share of a core, and how late its progress timer fired */
  cpuPct: nonNegative,
  lagMs: nonNegative,
});
export type ShareProgressJson = v.InferOutput<typeof ShareProgressSchema>;

/** The running latency of a phase so far, in ms, from its histogram (merged over the processes). */
export type LiveLatency = { p50: number; p95: number; p99: number; max: number; samples: number };

/**
 * What a suite has done so far, every process's merged: a few times a second
 * while it runs, and once more (`final`) when its wire layer is over.
 */
export type SuiteProgress = {
  /** what is counted, in the suite's words: "connections opened", then e.g. "round trips answered" */
  phase: string;
  done: number;
  planned: number;
  /** of the phase, since the event before */
  perSecond: number;
  /** what the phase has left at its mean rate so far; absent before it has one */
  etaMs?: number;
  /** since the suite started */
  elapsedMs: number;
  /** errors counted so far, every class */
  errors: number;
  /** sockets open now */
  sockets: number;
  /** bytes through the counting proxy so far (the compression suite) */
  bytes?: number;
  /** the phase's running histogram; absent before its first sample */
  latencyMs?: LiveLatency;
  /** the load generator over the last interval: its busiest process's share of a core and event-loop lag, and how many processes load */
  generator: { cpuPct: number; lagMs: number; processes: number };
  /** the wire layer is over: `done` is the count the result holds (its share of the planned work done) */
  final: boolean;
};
