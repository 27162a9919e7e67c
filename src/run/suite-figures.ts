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
import { inCatalogueOrder, makeMetric, metricId, specOf } from "../suites/metric-catalogue.ts";
import { SUITES } from "../suites/mod.ts";
import { formatNumber, formatPercent } from "../report/format.ts";
import { concurrencyText, tooFewEvents, tooFewSamples } from "../report/evidence-text.ts";
import type { HistogramJson, Metric, SuiteName, Threshold } from "../model/result.ts";
import { type Fact, factValue, type Facts, spreadFigures } from "../model/facts.ts";
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
  [": not measurable \\(nothing completed in the measured span\\)", " latency: no samples", ": no samples \\(counted over nothing\\)", " so each is ❌"]
    .map((end) => `(${end})`).join("|") + "$",
);

/** the key a closed loop's in-flight requests are counted under, for Little's law and the concurrency check */
export const IN_FLIGHT = "in_flight";
/** shows a figure without judging it, and says why */
const unjudge = (m: Metric, why: string): void => {
  if (m.threshold === undefined && m.verdict === "none") return;
  m.verdict = "none";
  m.unjudged = why;
};

export function figuresOf(suite: SuiteName, facts: Facts, thresholds: Readonly<Record<string, Threshold>>): SuiteFigures {
  const metrics: Metric[] = [];
  const histograms: Record<string, HistogramJson> = {};
  const notes: string[] = [];
  const answered = facts.facts.find((f): f is Ratio => f.kind === "ratio" && f.layer === "wire" && f.key === ANSWERED);
  const partial = answered !== undefined && answered.denominator > 0 && answered.numerator < 100 * answered.denominator;
  const push = (layer: Metric["layer"], key: string, value: number, samples?: number): Metric | undefined => {
    if (!Number.isFinite(value)) return void notes.push(`${layer} ${key}: not measurable (nothing completed in the measured span)`);
    const metric = makeMetric(metricId(suite, layer, key), value, thresholds);
    if (samples !== undefined) metric.samples = samples;
    metrics.push(metric);
    return metric;
  };
  for (const fact of facts.facts) {
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
    const percentiles = latencyMetrics(fact.key, histogram, push);
    if (!partial) continue;
    for (const m of percentiles) {
      m.verdict = "fail";
      delete m.unjudged;
    }
    const done = `${formatNumber(answered.numerator / 100)} of ${formatNumber(answered.denominator)} planned`;
    const share = formatPercent(answered.numerator / answered.denominator);
    notes.push(`${fact.key} percentiles stand on ${done} (${share}): the rest never came back, and what never comes has no finite latency, so each is ❌`);
  }
  splitFigures(suite, facts, metrics, push);
  return { metrics: inCatalogueOrder(suite, metrics), histograms, notes, ...unmeasuredOf(suite, answered) };
}

type Push = (layer: Metric["layer"], key: string, value: number, samples?: number) => Metric | undefined;

/** p50, p95, p99 and max of one histogram; a percentile with too few samples beyond it is shown unjudged, and named the maximum when it is. */
function latencyMetrics(key: string, histogram: Histogram, push: Push): Metric[] {
  const out: Metric[] = [];
  for (const q of [50, 95, 99] as const) {
    const m = push("wire", `${key}_p${q}_ms`, histogram.percentile(q) / 1e6, histogram.count);
    if (!m) continue;
    out.push(m);
    const evidence = percentileEvidence(q, histogram.count);
    if (evidence.isMax) m.label += ` (= max of ${formatNumber(histogram.count)})`;
    if (!evidence.judged) unjudge(m, tooFewSamples(q, histogram.count, evidence.needed, evidence.isMax));
  }
  const max = push("wire", `${key}_max_ms`, histogram.max / 1e6, histogram.count);
  return max ? [...out, max] : out;
}

/**
 * Where the suite splits capacity from latency at load: Little's law for the closed loop (in flight ÷ throughput:
 * the latency its queue must have had), and its throughput left unjudged when the level's concurrency capped it.
 */
function splitFigures(suite: SuiteName, facts: Facts, metrics: Metric[], push: Push): void {
  const split = SUITES[suite]?.split;
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
  if (bound && capacity.verdict !== "pass") unjudge(capacity, concurrencyText(inFlight.value, unqueuedMs, bound.boundPerSec, bound.reachedPct));
}

function unmeasuredOf(suite: SuiteName, answered: Ratio | undefined): { unmeasured?: string } {
  if (!answered || answered.denominator === 0 || answered.numerator > 0) return {};
  const what = specOf(metricId(suite, "wire", ANSWERED))?.label ?? "planned operations done";
  return { unmeasured: `could not measure: 0 of ${formatNumber(answered.denominator)} ${what}` };
}
