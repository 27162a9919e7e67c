/**
 * @module
 * wsstress: WebSocket stress testing over real sockets, on Node, Deno and Bun.
 *
 * @example
 * ```ts
 * import { stress } from "./mod.ts";
 * const report = await stress().level("medium").suite("broadcast").run();
 * report.json;        // the result document, valid against the schema
 * report.markdown();  // the same result as a markdown report
 * ```
 */
export { stress, StressBuilder, type LevelInput } from "./core/builder.ts";
export { LEVELS, LEVEL_NAMES, LevelSchema, parseLevel, type Level, type LevelName } from "./core/levels.ts";
export type { ProgressEvent, ProgressListener } from "./core/progress.ts";
export type { Platform, Runtime, RuntimeName } from "./core/runtime.ts";
export { DEFAULT_THRESHOLDS, METRICS } from "./core/thresholds.ts";
export { Histogram } from "./core/histogram.ts";
export { createReport, type Report } from "./report/report.ts";
export * from "./report/schema.ts";
export { currentRuntime, runtimeByName } from "./adapters/current.ts";
export { VERSION } from "./version.ts";
