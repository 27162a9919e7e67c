/**
 * Turns a suite's (merged) facts into the judged metrics and histograms of
 * its result. A figure over nothing is never judged: a count over no samples
 * and a rate over no span are left out with a note. A figure over too little
 * is shown but not judged (`analysis/evidence.ts`): a rate over too short a
 * span or too few events, a percentile with too few samples beyond it, a
 * closed loop's throughput capped by its own concurrency. Less than all of
 * the planned work answered makes every latency percentile ❌ (an unanswered
 * request has no finite latency); none of it means the suite could not
 * measure what it exists for.
 */
import { Histogram } from "../model/histogram.ts";
import { concurrencyBound, percentileEvidence, rateJudged } from "../analysis/evidence.ts";
import { inCatalogueOrder, makeMetric, metricId, type Scenarios, specOf } from "../suites/metric-catalogue.ts";
import { CHECK_FACT } from "../suites/scenario-facts.ts";
import { SUITES } from "../suites/mod.ts";
import { formatNumber, formatPercent } from "../report/format.ts";
import { concurrencyText, tooFewEvents, tooFewSamples } from "../report/evidence-text.ts";
import { type HistogramJson, isBuiltinSuite, type Metric, type Plan } from "../model/result.ts";
import { type Fact, type Facts, factValue, spreadFigures } from "../model/facts.ts";
import { ANSWERED } from "../suites/suite-recorder.ts";

export type SuiteFigures = {
  metrics: Metric[];
  histograms: Record<string, HistogramJson>;
  notes: string[];
  /** why the suite measured nothing of what it exists for (none of the planned work answered) */
  unmeasured?: string;
};

type Ratio = Extract<Fact, { kind: "ratio" }>;

/** the notes written here: recomputed whenever figures are (a merge drops the shards' own) */
export const FIGURE_NOTE = new RegExp(
  [
    ": not measurable \\(nothing completed in the measured span\\)",
    " latency: no samples",
    ": no samples \\(counted over nothing\\)",
    " so each is ❌",
  ].map((end) => `(${end})`).join("|") + '$|^checks: "',
);

/** the key a closed loop's in-flight requests are counted under, for Little's law and the concurrency check */
export const IN_FLIGHT = "in_flight";
/** shows a figure without judging it, and says why */
const unjudge = (m: Metric, why: string): void => {
  if (m.threshold === undefined && m.verdict === "none") return;
  m.verdict = "none";
  m.unjudged = why;
};

/** What judges a suite's figures: the plan's threshold overrides, and the scenarios it runs (their metrics are theirs). */
export type FigurePlan = Pick<Plan, "thresholds"> & Scenarios;

/** One line naming every check of a scenario and how it went: check names are free text, so they are notes, not metric keys. */
function checksNote(checks: Array<[string, Extract<Fact, { kind: "count" }>]>): string | undefined {
  if (checks.length === 0) return undefined;
  const each = checks.map(([name, f]) => {
    const runs = f.of ?? 0;
    return `"${name}" ${formatNumber(runs - f.value)}/${formatNumber(runs)} passed${
      f.value > 0 ? ` (${formatNumber(f.value)} failed)` : ""
    }`;
  });
  return `checks: ${each.join(", ")}`;
}

export function figuresOf(suite: string, facts: Facts, plan: FigurePlan): SuiteFigures {
  const { thresholds } = plan;
  const metrics: Metric[] = [];
  const histograms: Record<string, HistogramJson> = {};
  const notes: string[] = [];
  const answered = facts.facts.find((f): f is Ratio => f.kind === "ratio" && f.layer === "wire" && f.key === ANSWERED);
  const partial = answered !== undefined && answered.denominator > 0 && answered.numerator < 100 * answered.denominator;
  const push = (layer: Metric["layer"], key: string, value: number, samples?: number): Metric | undefined => {
    if (!Number.isFinite(value)) return void notes.push(`${layer} ${key}: not measurable (nothing completed in the measured span)`);
    const metric = makeMetric(metricId(suite, layer, key), value, thresholds, plan);
    if (samples !== undefined) metric.samples = samples;
    metrics.push(metric);
    return metric;
  };
  const checks: Array<[string, Extract<Fact, { kind: "count" }>]> = [];
  for (const fact of facts.facts) {
    if (fact.kind === "count" && fact.key.startsWith(CHECK_FACT)) {
      checks.push([fact.key.slice(CHECK_FACT.length), fact]);
      continue;
    }
    if (fact.kind === "spread") {
      const { min, max, cvPct } = spreadFigures(fact);
      push(fact.layer, `${fact.key}_min`, min);
      push(fact.layer, `${fact.key}_max`, max);
      push(fact.layer, `${fact.key}_cv_pct`, cvPct);
      continue;
    }
    if (fact.kind === "count" && fact.of === 0) {
      notes.push(`${fact.layer} ${fact.key}: no samples (counted over nothing)`);
      continue;
    }
    if (fact.kind === "rate") {
      const m = push(fact.layer, fact.key, factValue(fact), fact.ops);
      if (m && !rateJudged(fact.ops, fact.endMs - fact.startMs)) unjudge(m, tooFewEvents(fact.ops, fact.endMs - fact.startMs));
      continue;
    }
    if (fact.kind !== "latency") {
      push(fact.layer, fact.key, factValue(fact));
      continue;
    }
    const json = facts.latencies[fact.key];
    const histogram = json && Histogram.fromJSON(json);
    if (!histogram || histogram.count === 0) {
      notes.push(`${fact.key} latency: no samples`);
      continue;
    }
    histograms[`wire.${fact.key}`] = json;
    // a latency's percentiles are in ms; a scenario's own histogram's in its unit, kept × 1e6 like ns
    const unit = specOf(metricId(suite, "wire", `${fact.key}_p50_ms`), plan) ? "_ms" : "";
    const percentiles = latencyMetrics(fact.key, unit, histogram, push);
    if (!partial) continue;
    for (const m of percentiles) {
      m.verdict = "fail";
      delete m.unjudged;
    }
    const done = `${formatNumber(answered.numerator / 100)} of ${formatNumber(answered.denominator)} planned`;
    const share = formatPercent(answered.numerator / answered.denominator);
    notes.push(
      `${fact.key} percentiles stand on ${done} (${share}): the rest never came back, and what never comes has no finite latency, so each is ❌`,
    );
  }
  splitFigures(suite, facts, metrics, push);
  releaseChecksCount(suite, metrics, thresholds);
  const checked = checksNote(checks);
  if (checked) notes.push(checked);
  return { metrics: inCatalogueOrder(suite, metrics), histograms, notes, ...unmeasuredOf(suite, answered, plan) };
}

type Push = (layer: Metric["layer"], key: string, value: number, samples?: number) => Metric | undefined;

/**
 * p50, p95, p99 and max of one histogram; a percentile with too few samples beyond it is shown unjudged, and named the
 * maximum when it is.
 */
function latencyMetrics(key: string, unit: string, histogram: Histogram, push: Push): Metric[] {
  const out: Metric[] = [];
  for (const q of [50, 95, 99] as const) {
    const m = push("wire", `${key}_p${q}${unit}`, histogram.percentile(q) / 1e6, histogram.count);
    if (!m) continue;
    out.push(m);
    const evidence = percentileEvidence(q, histogram.count);
    if (evidence.isMax) m.label += ` (= max of ${formatNumber(histogram.count)})`;
    if (!evidence.judged) unjudge(m, tooFewSamples(q, histogram.count, evidence.needed, evidence.isMax));
  }
  const max = push("wire", `${key}_max${unit}`, histogram.max / 1e6, histogram.count);
  return max ? [...out, max] : out;
}

/**
 * Where the suite splits capacity from latency at load: Little's law for the closed loop (in flight ÷ throughput:
 * the latency its queue must have had), and its throughput left unjudged when the level's concurrency capped it.
 */
function splitFigures(suite: string, facts: Facts, metrics: Metric[], push: Push): void {
  const split = isBuiltinSuite(suite) ? SUITES[suite].split : undefined;
  const inFlight = facts.facts.find((f) => f.kind === "count" && f.layer === "wire" && f.key === IN_FLIGHT);
  const capacity = metrics.find((m) => m.layer === "wire" && m.key === split?.capacity);
  if (!split || !capacity || inFlight?.kind !== "count" || !(capacity.value > 0)) return;
  push("wire", "littles_law_ms", (inFlight.value / capacity.value) * 1_000);
  const json = split.paced && facts.latencies[split.paced[0]];
  const paced = json && Histogram.fromJSON(json);
  if (!paced || paced.count === 0) return;
  const unqueuedMs = paced.percentile(50) / 1e6;
  const bound = concurrencyBound(capacity.value, inFlight.value, unqueuedMs);
  // a bound throughput is a floor under the server's capacity: a pass stands
  if (bound && capacity.verdict !== "pass") {
    unjudge(capacity, concurrencyText(inFlight.value, unqueuedMs, bound.boundPerSec, bound.reachedPct));
  }
}

/** A threshold on a scenario's rate of failed checks judges its checks in place of "none may fail". */
function releaseChecksCount(suite: string, metrics: Metric[], thresholds: FigurePlan["thresholds"]): void {
  if (!Object.hasOwn(thresholds, metricId(suite, "wire", "checks_failed_pct"))) return;
  const at = metrics.findIndex((m) => m.layer === "wire" && m.key === "checks_failed");
  if (at < 0) return;
  const { threshold: _, ...count } = metrics[at];
  metrics[at] = { ...count, verdict: "none" };
}

function unmeasuredOf(suite: string, answered: Ratio | undefined, plan: Scenarios): { unmeasured?: string } {
  if (!answered || answered.denominator === 0 || answered.numerator > 0) return {};
  const what = specOf(metricId(suite, "wire", ANSWERED), plan)?.label ?? "planned operations done";
  return { unmeasured: `could not measure: 0 of ${formatNumber(answered.denominator)} ${what}` };
}
