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
export { stress, StressBuilder, type LevelInput } from "./run/stress-builder.ts";
export { LEVELS, LEVEL_NAMES, LevelSchema, parseLevel, type Level, type LevelName } from "./model/levels.ts";
export type { ProgressEvent, ProgressListener } from "./model/progress-events.ts";
export type { Platform, Runtime, RuntimeName } from "./model/runtime-contract.ts";
export { DEFAULT_THRESHOLDS, METRICS } from "./analysis/metric-catalogue.ts";
export { Histogram } from "./model/histogram.ts";
export { MergeError, mergeShards, type ShardInput } from "./run/merge-shards.ts";
export { planFingerprint, sliceOf } from "./load/placement.ts";
export { createReport, type Report } from "./report/run-report.ts";
export { compareResults, DEFAULT_TOLERANCE_PERCENT, judgeChange, type Change, type Comparison, type ComparisonRow } from "./analysis/baseline-comparison.ts";
export { renderComparisonMarkdown, renderComparisonText } from "./report/comparison-render.ts";
export type { HtmlOptions } from "./report/html.ts";
export { jsonlLine, JsonlLineSchema, parseJsonl, rebuildResult, type JsonlLine } from "./report/jsonl.ts";
export { resultJsonSchema } from "./model/result-json-schema.ts";
export * from "./model/result.ts";
export { MatrixBuilder, type MatrixSettings, type RuntimeChoice } from "./run/matrix-builder.ts";
export { createMatrixReport, type MatrixReport } from "./report/matrix-report.ts";
export type { MatrixPlatform, MatrixProgressEvent, MatrixProgressListener } from "./run/matrix-platform.ts";
export { MatrixSchema, parseMatrix, type Matrix, type MatrixPlan, type MetricCell, type MetricComparison, type Pairing, type PairingRun } from "./model/matrix-document.ts";
export { currentRuntime, runtimeByName } from "./host/runtime-adapters.ts";
export { VERSION } from "./model/version.ts";
export { defineProtocol, type ProtocolDefinition } from "./profiles/define.ts";
export { BUILTIN_PROFILE_NAMES, echoProfile, wsstressProfile, type AuthRole, type Profile } from "./profiles/mod.ts";
