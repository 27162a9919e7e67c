/**
 * The messages between the runner and a load-generator worker process, one
 * JSON object per line, validated on arrival at either end. A worker runs one
 * suite's wire layer on its share of a level, stops at the peak barrier until
 * released, and returns its facts; while it runs, it reports its progress a
 * few times a second.
 */
import * as v from "valibot";
import { FactsSchema } from "../model/facts.ts";
import { LevelSchema } from "../model/levels.ts";
import { ErrorCountSchema, PlanSchema, SuiteIdSchema } from "../model/result.ts";
import { GeneratorLoadSchema } from "../load/generator-load.ts";
import { ShareSchema } from "../load/placement.ts";
import { ConnectionSettingsSchema } from "../profiles/connection-settings.ts";
import { ShareProgressSchema } from "../model/suite-progress.ts";

const id = v.pipe(v.number(), v.integer(), v.minValue(1));

export const ToWorkerSchema = v.variant("type", [
  /** `connection` may hold secrets (header values, tokens): it goes down the pipe to our own child, never into a result */
  v.object({
    type: v.literal("wire"),
    id,
    /** one of the six, or a scenario of `plan.scenarios`, which the worker loads from its module */
    suite: SuiteIdSchema,
    level: LevelSchema,
    plan: PlanSchema,
    share: ShareSchema,
    serverDeflate: v.boolean(),
    connection: ConnectionSettingsSchema,
    /** report progress while running (someone listens for it) */
    progress: v.optional(v.boolean()),
  }),
  /** every share reached the peak and the servers were measured: close and finish */
  v.object({ type: v.literal("release"), id }),
  v.object({ type: v.literal("abort"), id }),
]);
export type ToWorker = v.InferOutput<typeof ToWorkerSchema>;

export const FromWorkerSchema = v.variant("type", [
  v.object({ type: v.literal("peak"), id }),
  /** what the share has counted so far; the last one comes right before `done` */
  v.object({ type: v.literal("progress"), id, reading: ShareProgressSchema }),
  v.object({
    type: v.literal("done"),
    id,
    facts: FactsSchema,
    errors: v.array(ErrorCountSchema),
    notes: v.array(v.string()),
    load: GeneratorLoadSchema,
    /** set when the wire layer threw; the facts hold what it measured before */
    failure: v.optional(v.string()),
  }),
]);
export type FromWorker = v.InferOutput<typeof FromWorkerSchema>;

/** A message from the other end, checked: the message, or what is wrong with it in one line (the first issue, and where). */
export function checkMessage<T>(
  schema: v.GenericSchema<unknown, T>,
  raw: unknown,
): { message: T; problem?: undefined } | { problem: string } {
  const result = v.safeParse(schema, raw);
  if (result.success) return { message: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join(".");
  return { problem: `${path ? `${path}: ` : ""}${issue.message}` };
}
