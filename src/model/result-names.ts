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

/** ✅ pass, ⚠️ warn, ❌ fail; `none` for a figure that has no threshold. */
export const VerdictSchema: Picklist<["pass", "warn", "fail", "none"]> = v.picklist(["pass", "warn", "fail", "none"]);
export type Verdict = v.InferOutput<typeof VerdictSchema>;

export const LayerSchema: Picklist<["wire", "engine"]> = v.picklist(["wire", "engine"]);
export type Layer = v.InferOutput<typeof LayerSchema>;
