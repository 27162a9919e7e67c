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
import type { Runtime, RuntimeName } from "./model/runtime-contract.ts";
import type { HostAbilities } from "./run/platform.ts";
import { type StressBuilder, stressOn } from "./run/stress-builder.ts";
import { type ConformInput, conformOn } from "./run/conformance-run.ts";
import type { ConformanceReport } from "./report/conformance-report.ts";

export { type DashboardOptions, type LevelInput, StressBuilder, stressOn } from "./run/stress-builder.ts";
export { type Level, LEVEL_NAMES, type LevelName, LEVELS, LevelSchema, parseLevel } from "./model/levels.ts";
export type { ProgressEvent, ProgressListener } from "./model/progress-events.ts";
export type { LiveLatency, SuiteProgress } from "./model/suite-progress.ts";
export type { Runtime, RuntimeName } from "./model/runtime-contract.ts";
export type { HostAbilities, MatrixPlatform, Platform } from "./run/platform.ts";
export { DEFAULT_THRESHOLDS, METRICS } from "./suites/metric-catalogue.ts";
export { Histogram } from "./model/histogram.ts";
export { MergeError, mergeShards, type ShardInput } from "./run/merge-shards.ts";
export { sliceOf } from "./load/placement.ts";
export { planFingerprint } from "./run/plan-fingerprint.ts";
export { createReport, type Report } from "./report/run-report.ts";
export {
  type Change,
  type CompareOptions,
  compareResults,
  type Comparison,
  type ComparisonRow,
  DEFAULT_TOLERANCE_PERCENT,
} from "./analysis/baseline-comparison.ts";
export { ASSUMED_NOISE_PERCENT, CONFIDENCE, judgeDifference, type RuleOptions, type Runs } from "./analysis/noise-rule.ts";
export { ComparisonSchema, parseComparison } from "./model/comparison-document.ts";
export { type DifferenceCall, DifferenceCallSchema, type NoiseRule, NoiseRuleSchema } from "./model/difference-call.ts";
export { renderComparisonMarkdown, renderComparisonText } from "./report/comparison-render.ts";
export { renderComparisonHtml } from "./report/comparison-html.ts";
export type { HtmlOptions } from "./report/html.ts";
export { type JsonlLine, jsonlLine, JsonlLineSchema, parseJsonl, rebuildResult } from "./report/jsonl.ts";
export { resultJsonSchema } from "./model/result-json-schema.ts";
export * from "./model/result.ts";
export { MatrixBuilder, type MatrixSettings, type RuntimeChoice } from "./run/matrix-builder.ts";
export { createMatrixReport, type MatrixReport } from "./report/matrix-report.ts";
export type { MatrixProgressEvent, MatrixProgressListener } from "./model/progress-events.ts";
export {
  type Matrix,
  type MatrixPlan,
  MatrixSchema,
  type MetricCell,
  type MetricComparison,
  type Pairing,
  type PairingRun,
  parseMatrix,
} from "./model/matrix-document.ts";
export { VERSION } from "./model/version.ts";
export type { ConformInput } from "./run/conformance-run.ts";
export { type ConformanceReport, createConformanceReport } from "./report/conformance-report.ts";
export * from "./model/conformance-result.ts";
export { conformanceJsonSchema } from "./model/conformance-json-schema.ts";
export {
  compareConformance,
  type ConformanceChange,
  type ConformanceComparison,
  type ConformanceRow,
} from "./analysis/conformance-comparison.ts";
export { renderConformanceComparisonMarkdown, renderConformanceComparisonText } from "./report/conformance-comparison-render.ts";
export {
  defineScenario,
  type LoadInput,
  type MetricDeclaration,
  type Scenario,
  type ScenarioDefinition,
  type Stage,
} from "./suites/scenario-definition.ts";
export type { DeliveryInfo, VirtualUser, Within } from "./load/virtual-user.ts";
export type { MetricRecorder } from "./load/vu-metric.ts";
export {
  type Answer,
  type AuthRole,
  BUILTIN_PROFILE_NAMES,
  type Decoded,
  defineProtocol,
  type DeliveryClass,
  echoProfile,
  type Exchange,
  type Frame,
  type FrameDecoded,
  type GraphqlWsOptions,
  graphqlWsProfile,
  type Link,
  type MqttOptions,
  mqttProfile,
  type Profile,
  type ProtocolDefinition,
  type RequestSpec,
  type Session,
  type SetupConnection,
  type Signal,
  wsstressProfile,
} from "./profiles/mod.ts";

// This machine's abilities are imported when a run starts, not when wsstress is imported: the SDK
// then loads no runtime module (node:*, ws, an adapter) until it needs one.
const thisMachine = async (): Promise<HostAbilities> => (await import("./host/host-platform.ts")).THIS_MACHINE;
const onThisMachine: HostAbilities = {
  platform: async () => (await thisMachine()).platform(),
  matrixPlatform: async (executables) => (await thisMachine()).matrixPlatform(executables),
};

/** A builder with the seed's defaults (all eight levels, all six suites) that runs on this machine's runtime. */
export function stress(): StressBuilder {
  return stressOn(onThisMachine);
}

/**
 * Checks a WebSocket server against RFC 6455 and RFC 7692 with the cases
 * Autobahn|Testsuite numbers (the reference server, started on this runtime,
 * when `target` is absent): `await conform("ws://127.0.0.1:9001/", { cases: "1.*,5.*" })`.
 */
export function conform(target?: string, options?: ConformInput): Promise<ConformanceReport> {
  return conformOn(onThisMachine)(target, options);
}

/** The adapter of the runtime executing this code (Bun, then Deno, else Node). */
export async function currentRuntime(): Promise<Runtime> {
  return (await import("./host/runtime-adapters.ts")).currentRuntime();
}

/** The adapter for `name`; it only works on that runtime. */
export async function runtimeByName(name: RuntimeName): Promise<Runtime> {
  return (await import("./host/runtime-adapters.ts")).runtimeByName(name);
}
