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
 * report.html();      // one self-contained HTML page with charts
 * ```
 */
export { stress, StressBuilder, type LevelInput } from "./core/builder.ts";
export { LEVELS, LEVEL_NAMES, LevelSchema, parseLevel, type Level, type LevelName } from "./core/levels.ts";
export type { ProgressEvent, ProgressListener } from "./core/progress.ts";
export type { Platform, Runtime, RuntimeName } from "./core/runtime.ts";
export { DEFAULT_THRESHOLDS, METRICS } from "./core/thresholds.ts";
export { Histogram } from "./core/histogram.ts";
export { MergeError, mergeShards, type ShardInput } from "./core/merge.ts";
export { planFingerprint, sliceOf } from "./core/shard.ts";
export { createReport, type Report } from "./report/report.ts";
export { compareResults, DEFAULT_TOLERANCE_PERCENT, judgeChange, type Change, type Comparison, type ComparisonRow } from "./report/compare.ts";
export { renderComparisonMarkdown, renderComparisonText } from "./report/compare-render.ts";
export type { HtmlOptions } from "./report/html.ts";
export { jsonlLine, JsonlLineSchema, parseJsonl, rebuildResult, type JsonlLine } from "./report/jsonl.ts";
export { resultJsonSchema } from "./report/json-schema.ts";
export * from "./report/schema.ts";
export { MatrixBuilder, type MatrixSettings, type RuntimeChoice } from "./matrix/builder.ts";
export { createMatrixReport, type MatrixReport } from "./matrix/report.ts";
export type { MatrixPlatform, MatrixProgressEvent, MatrixProgressListener } from "./matrix/platform.ts";
export { MatrixSchema, parseMatrix, type Matrix, type MatrixPlan, type MetricCell, type MetricComparison, type Pairing, type PairingRun } from "./matrix/schema.ts";
export { currentRuntime, runtimeByName } from "./adapters/current.ts";
export { VERSION } from "./version.ts";
export { defineProtocol, type ProtocolDefinition } from "./profiles/define.ts";
export { BUILTIN_PROFILE_NAMES, echoProfile, wsstressProfile, type AuthRole, type Profile } from "./profiles/mod.ts";
