/**
 * @module
 * Recommendations: what to do about a run, as data. Security first (a wrong
 * allow), then one entry per problem area (the seed's Troubleshooting: high
 * latency, low throughput, degradation > 30 %, plus delivery, connection and
 * compression faults), worst first; last, the seed's production advice for
 * the highest level run. Each cites the metrics, their values and the level;
 * `report/recommendation-text.ts` puts them in words.
 */
import type { Degradation, ErrorCount, LevelResult, Metric, SuiteId, SuiteResult, Threshold, Verdict } from "../model/result.ts";
import type { Level } from "../model/levels.ts";
import { type Bottleneck, isThroughput } from "./degradation.ts";
import { faultVerdict } from "../model/faults.ts";
import { compareVerdicts, worst, wrongAllows } from "./verdicts.ts";

/** One metric at the level where it did worst. */
export type Citation = { id: string; value: number; unit: string; level: string; threshold?: Threshold };

/** Counts that must stay at zero, each with advice of its own. */
export const ZERO_KEYS = ["lost", "duplicated", "out_of_order", "failures", "wrong_denies"] as const;
export type ZeroKey = (typeof ZERO_KEYS)[number];

export type Advice =
  & { severity: Verdict }
  & (
    | { kind: "security"; wrongAllows: { level: string; count: number }[] }
    | { kind: "zero"; key: ZeroKey; citation: Citation; firstError?: ErrorCount }
    | { kind: "compression-off" | "compression-poor"; citation: Citation }
    | { kind: "high-latency" | "low-throughput" | "below-threshold"; citations: Citation[] }
    | { kind: "poor-scalability"; degradations: Degradation[]; bottleneck: Bottleneck | null }
    | { kind: "suite-failed" | "suite-errors"; suite: SuiteId; level: string; reason?: string; errors: ErrorCount[]; counted?: Citation }
    | { kind: "all-pass" }
    | { kind: "capacity"; level: Level; connectionsPerServer: number; servers: number }
  );

type Seen = { id: string; metric: Metric; suite: SuiteResult; level: LevelResult };

/** The seed's single-server sizing (8 vCPU): about this many concurrent connections. */
const CONNECTIONS_PER_SERVER = 10_000;

const citation = (s: Seen): Citation => ({
  id: s.id,
  value: s.metric.value,
  unit: s.metric.unit,
  level: s.level.level.name,
  ...(s.metric.threshold ? { threshold: s.metric.threshold } : {}),
});

/** What the caller knows besides the levels: the warm-up's result, and which metric ids count faults (the catalogue's). */
export type AdviceContext = { warmup?: LevelResult; isFault(id: string): boolean };

export function recommendations(
  levels: readonly LevelResult[],
  degradations: readonly Degradation[],
  bottleneck: Bottleneck | null,
  context: AdviceContext,
): Advice[] {
  const { warmup } = context;
  if (levels.length === 0 && !warmup) return [];
  // the warm-up's faults are cited like a level's ("at warmup"); its figures carry no rate or percentile
  const judged = warmup ? [warmup, ...levels] : levels;
  const flagged = worstOccurrences(judged, context.isFault);
  const handled = new Set<string>();
  // ids whose recommendation already quotes the suite's error log
  const explained = new Set<string>();
  const take = (pred: (s: Seen) => boolean): Seen[] => {
    const hits = flagged.filter((s) => !handled.has(s.id) && pred(s));
    for (const s of hits) handled.add(s.id);
    return hits;
  };
  const out: Advice[] = [];

  for (const key of ZERO_KEYS) {
    for (const s of take((s) => s.metric.layer === "wire" && s.metric.key === key)) {
      explained.add(s.id);
      const firstError = s.suite.errors[0];
      out.push({ severity: s.metric.verdict, kind: "zero", key, citation: citation(s), ...(firstError ? { firstError } : {}) });
    }
  }
  // reported per suite below: wrong allows with the security note, error counts with the error log
  take((s) => s.metric.key === "wrong_allows" || s.metric.key === "errors");

  for (const s of take((s) => s.suite.suite === "compression" && s.metric.key === "savings_pct")) {
    const off = s.metric.layer === "wire" && (s.metric.value <= 1 || /not negotiated/i.test(s.suite.notes.join(" ")));
    out.push(
      off
        ? { severity: "warn", kind: "compression-off", citation: citation(s) }
        : { severity: s.metric.verdict, kind: "compression-poor", citation: citation(s) },
    );
  }

  const area = (kind: "high-latency" | "low-throughput" | "below-threshold", hits: Seen[]): void => {
    if (hits.length > 0) out.push({ severity: worst(hits.map((s) => s.metric.verdict)), kind, citations: hits.map(citation) });
  };
  area("high-latency", take((s) => s.metric.better === "lower" && /^(ms|µs|μs|ns|s)$/.test(s.metric.unit)));
  area("low-throughput", take((s) => isThroughput(s.metric)));
  const poor = degradations.filter((d) => d.verdict === "fail").sort((a, b) => b.percent - a.percent);
  if (poor.length > 0) out.push({ severity: "fail", kind: "poor-scalability", degradations: poor, bottleneck });
  area("below-threshold", take(() => true));

  out.push(...troubledSuites(judged, explained));
  out.sort((a, b) => compareVerdicts(a.severity, b.severity));
  out.unshift(...security(judged));
  if (out.length === 0 && flaggedNothing(judged)) out.push({ severity: "pass", kind: "all-pass" });
  if (levels.length > 0) out.push(capacity(levels));
  return out;
}

/**
 * For each metric id that warned or failed somewhere: its worst occurrence, the highest level on a tie.
 * A failed suite's figures are partial: only its fault counts are advised on, the failure itself below.
 */
function worstOccurrences(levels: readonly LevelResult[], isFault: (id: string) => boolean): Seen[] {
  const byId = new Map<string, Seen>();
  for (const level of levels) {
    for (const suite of level.suites) {
      for (const metric of suite.metrics) {
        if (metric.verdict !== "warn" && metric.verdict !== "fail") continue;
        const id = `${suite.suite}.${metric.layer}.${metric.key}`;
        if (suite.status === "failed" && !isFault(id)) continue;
        const prior = byId.get(id);
        if (!prior || compareVerdicts(metric.verdict, prior.metric.verdict) <= 0) byId.set(id, { id, metric, suite, level });
      }
    }
  }
  return [...byId.values()].sort((a, b) => compareVerdicts(a.metric.verdict, b.metric.verdict));
}

function security(levels: readonly LevelResult[]): Advice[] {
  const at = levels.flatMap((l) => l.suites.filter((s) => wrongAllows(s) > 0).map((s) => ({ level: l.level.name, count: wrongAllows(s) })));
  return at.length === 0 ? [] : [{ severity: "fail", kind: "security", wrongAllows: at }];
}

/** Suites that failed, or logged faults no metric above explained; what a user's stop cut short is no fault. */
function troubledSuites(levels: readonly LevelResult[], explained: Set<string>): Advice[] {
  const latest = new Map<string, { level: LevelResult; suite: SuiteResult }>();
  for (const level of levels) {
    for (const suite of level.suites) {
      const quoted = suite.metrics.some((m) => explained.has(`${suite.suite}.${m.layer}.${m.key}`) && m.value > 0);
      const errors = suite.errors.some((e) => e.class !== "wrong_allow" && faultVerdict(e.class) !== "none") ||
        suite.metrics.some((m) => m.key === "errors" && m.value > 0);
      if (suite.status === "failed" || (errors && !quoted)) latest.set(suite.suite, { level, suite });
    }
  }
  return [...latest.values()].map(({ level, suite }): Advice => {
    const m = suite.metrics.find((m) => m.key === "errors" && m.value > 0);
    const counted = m && citation({ id: `${suite.suite}.${m.layer}.errors`, metric: m, suite, level });
    const where = {
      suite: suite.suite,
      level: level.level.name,
      ...(suite.reason ? { reason: suite.reason } : {}),
      errors: suite.errors,
      ...(counted ? { counted } : {}),
    };
    return suite.status === "failed"
      ? { severity: "fail", kind: "suite-failed", ...where }
      : { severity: worst(["warn", m?.verdict ?? "none"]), kind: "suite-errors", ...where };
  });
}

function flaggedNothing(levels: readonly LevelResult[]): boolean {
  const metrics = levels.flatMap((l) => l.suites.flatMap((s) => s.metrics));
  return metrics.some((m) => m.verdict === "pass") && !metrics.some((m) => m.verdict === "warn" || m.verdict === "fail");
}

/** The seed's "Production Recommendations, based on load level", for the highest level run. */
function capacity(levels: readonly LevelResult[]): Advice {
  const top = levels.reduce((a, b) => (b.level.operations >= a.level.operations ? b : a)).level;
  const servers = Math.max(1, Math.ceil(top.connections / CONNECTIONS_PER_SERVER));
  const severity = top.operations <= 100_000 ? "pass" : top.operations <= 1_000_000 ? "warn" : "fail";
  return { severity, kind: "capacity", level: top, connectionsPerServer: CONNECTIONS_PER_SERVER, servers };
}
