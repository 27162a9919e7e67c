/**
 * The names and figures every part of the result schema shares: suites,
 * verdicts and layers. See `result.ts`.
 */
import * as v from "valibot";
import type { Picklist } from "./valibot-types.ts";

// Every schema carries its valibot type: JSR refuses inferred ones in the public API
// (see model/valibot-types.ts). The document types are still `v.InferOutput` of the schemas.

export const SUITE_NAMES = ["connection", "message", "subscription", "broadcast", "permission", "compression"] as const;
export const SuiteNameSchema: v.PicklistSchema<typeof SUITE_NAMES, undefined> = v.picklist(SUITE_NAMES);
export type SuiteName = v.InferOutput<typeof SuiteNameSchema>;

/** A scenario's name: lower-case letters, digits, `_` and `-`, starting with a letter; no dot, since metric ids split on dots. */
export const SCENARIO_NAME: RegExp = /^[a-z][a-z0-9_-]{0,47}$/;

/**
 * What names a suite in a result: one of the six, or a user's scenario by its
 * name (lower-case, no dot, never one of the six: `defineScenario` checks).
 */
export const SuiteIdSchema: v.UnionSchema<
  [typeof SuiteNameSchema, v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.RegexAction<string, undefined>]>],
  undefined
> = v.union([SuiteNameSchema, v.pipe(v.string(), v.regex(SCENARIO_NAME))]);
/** A suite's name in a result: a built-in suite's or a scenario's. */
export type SuiteId = v.InferOutput<typeof SuiteIdSchema>;

/** Whether `id` names one of the six built-in suites rather than a scenario. */
export const isBuiltinSuite = (id: string): id is SuiteName => (SUITE_NAMES as readonly string[]).includes(id);

/** ✅ pass, ⚠️ warn, ❌ fail; `none` for a figure that has no threshold. */
export const VerdictSchema: Picklist<["pass", "warn", "fail", "none"]> = v.picklist(["pass", "warn", "fail", "none"]);
export type Verdict = v.InferOutput<typeof VerdictSchema>;

export const LayerSchema: Picklist<["wire", "engine"]> = v.picklist(["wire", "engine"]);
export type Layer = v.InferOutput<typeof LayerSchema>;
