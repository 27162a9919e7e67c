/**
 * Result documents built by hand for the report tests: real metrics from the
 * catalogue, real histograms, analysis and verdicts computed by the code
 * under test's own core, and validated with `parseResult`.
 */
import { levelVerdict, overallVerdict, suiteVerdict } from "../src/analysis/verdicts.ts";
import { analyze } from "../src/report/analysis-section.ts";
import { Histogram } from "../src/model/histogram.ts";
import { levelByName, type LevelName } from "../src/model/levels.ts";
import { makeMetric } from "../src/suites/metric-catalogue.ts";
import {
  type HistogramJson,
  type LevelResult,
  type Metric,
  parseResult,
  type Result,
  type SuiteName,
  type SuiteResult,
} from "../src/model/result.ts";

export type SuiteSpec = {
  suite: SuiteName;
  /** `layer.key` → value, e.g. `wire.round_trips_per_s` */
  values: Record<string, number>;
  /** histogram name (`rtt`) → latencies in ms; its p50/p95/p99/max metrics are computed from the histogram */
  latencies?: Record<string, number[]>;
};

export type LevelSpec = { name: LevelName; suites: SuiteSpec[] };

/** A deterministic spread of `n` latencies around `medianMs`, with a tail. */
export function spread(n: number, medianMs: number, seed = 1): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const u = x / 2 ** 31;
    out.push(medianMs * Math.exp((u - 0.5) * 1.2) * (u > 0.97 ? 4 : 1));
  }
  return out;
}

function suite(spec: SuiteSpec): SuiteResult {
  const metrics: Metric[] = Object.entries(spec.values).map(([key, value]) => makeMetric(`${spec.suite}.${key}`, value));
  const histograms: Record<string, HistogramJson> = {};
  for (const [name, samples] of Object.entries(spec.latencies ?? {})) {
    const h = new Histogram();
    for (const ms of samples) h.record(ms * 1e6);
    histograms[`wire.${name}`] = h.toJSON();
    for (const q of [50, 95, 99]) metrics.push(makeMetric(`${spec.suite}.wire.${name}_p${q}_ms`, h.percentile(q) / 1e6));
    metrics.push(makeMetric(`${spec.suite}.wire.${name}_max_ms`, h.max / 1e6));
  }
  const s: SuiteResult = { suite: spec.suite, status: "ok", durationMs: 640, metrics, histograms, errors: [], notes: [], verdict: "none" };
  return { ...s, verdict: suiteVerdict(s) };
}

export function buildResult(levels: LevelSpec[]): Result {
  const results: LevelResult[] = levels.map((spec, i) => {
    const l: LevelResult = {
      level: levelByName(spec.name),
      startedAt: new Date(Date.UTC(2026, 0, 5, 9, 0, i * 10)).toISOString(),
      durationMs: 4_000 + i,
      suites: spec.suites.map(suite),
      verdict: "none",
    };
    return { ...l, verdict: levelVerdict(l) };
  });
  const suites = [...new Set(levels.flatMap((l) => l.suites.map((s) => s.suite)))];
  return parseResult({
    schemaVersion: 1,
    tool: { name: "wsstress", version: "0.1.0" },
    runtime: { name: "node", version: "24.21.0" },
    machine: { os: "linux", arch: "x64", cpuModel: "Test CPU", cores: 2, memoryBytes: 8 * 2 ** 30 },
    server: { url: "ws://127.0.0.1:40321/", runtime: "node", embedded: true, perMessageDeflate: true },
    plan: { levels: results.map((l) => l.level), suites, thresholds: {}, window: 1, timeoutMs: 10_000, warmup: true },
    startedAt: "2026-01-05T09:00:00.000Z",
    finishedAt: "2026-01-05T09:00:30.000Z",
    durationMs: 30_000,
    status: "complete",
    levels: results,
    analysis: analyze(results),
    verdict: overallVerdict(results),
  });
}

/** Two levels of message, broadcast and permission with histograms; medium degrades and warns. */
export function sampleResult(): Result {
  return buildResult([
    {
      name: "minimal",
      suites: [
        {
          suite: "message",
          values: { "wire.round_trips_per_s": 48_213.7, "wire.errors": 0, "engine.ops_per_s": 131_520, "engine.p95_us": 9.86 },
          latencies: { rtt: spread(1_000, 0.4) },
        },
        {
          suite: "broadcast",
          values: { "wire.deliveries_per_s": 212_004, "wire.lost": 0, "engine.deliveries_per_s": 5_424_906 },
          latencies: { latency: spread(1_000, 2.5, 7) },
        },
        {
          suite: "permission",
          values: { "wire.decisions_per_s": 31_200, "wire.wrong_allows": 0, "engine.checks_per_s": 511_245 },
          latencies: { deny: spread(400, 0.5, 3), allow: spread(600, 0.6, 5) },
        },
      ],
    },
    {
      name: "medium",
      suites: [
        {
          suite: "message",
          values: { "wire.round_trips_per_s": 27_950, "wire.errors": 0, "engine.ops_per_s": 127_894, "engine.p95_us": 9.18 },
          latencies: { rtt: spread(100_000, 4.2, 11) },
        },
        {
          suite: "broadcast",
          values: { "wire.deliveries_per_s": 1_480_310, "wire.lost": 0, "engine.deliveries_per_s": 103_493_206 },
          latencies: { latency: spread(100_000, 14, 13) },
        },
        {
          suite: "permission",
          values: { "wire.decisions_per_s": 29_804, "wire.wrong_allows": 0, "engine.checks_per_s": 541_006 },
          latencies: { deny: spread(40_000, 1.1, 17), allow: spread(60_000, 1.3, 19) },
        },
      ],
    },
  ]);
}
