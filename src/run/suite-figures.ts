/**
 * Turns a suite's (merged) facts into the judged metrics and histograms of
 * its result. A figure over nothing is never judged: a count over no samples
 * and a rate over no span are left out with a note. Less than all of the
 * planned work answered makes every latency percentile ❌ (an unanswered
 * request has no finite latency); none of it means the suite could not
 * measure what it exists for.
 */
import { Histogram } from "../model/histogram.ts";
import { makeMetric, metricId, specOf } from "../suites/metric-catalogue.ts";
import { formatNumber, formatPercent } from "../report/format.ts";
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

export function figuresOf(suite: SuiteName, facts: Facts, thresholds: Readonly<Record<string, Threshold>>): SuiteFigures {
  const metrics: Metric[] = [];
  const histograms: Record<string, HistogramJson> = {};
  const notes: string[] = [];
  const answered = facts.facts.find((f): f is Ratio => f.kind === "ratio" && f.layer === "wire" && f.key === ANSWERED);
  const partial = answered !== undefined && answered.denominator > 0 && answered.numerator < 100 * answered.denominator;
  const push = (layer: Metric["layer"], key: string, value: number): Metric | undefined => {
    if (!Number.isFinite(value)) return void notes.push(`${layer} ${key}: not measurable (nothing completed in the measured span)`);
    const metric = makeMetric(metricId(suite, layer, key), value, thresholds);
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
    const percentiles = [
      ...([50, 95, 99] as const).map((q) => push("wire", `${fact.key}_p${q}_ms`, histogram.percentile(q) / 1e6)),
      push("wire", `${fact.key}_max_ms`, histogram.max / 1e6),
    ];
    if (!partial) continue;
    for (const m of percentiles) if (m) m.verdict = "fail";
    const done = `${formatNumber(answered.numerator / 100)} of ${formatNumber(answered.denominator)} planned`;
    const share = formatPercent(answered.numerator / answered.denominator);
    notes.push(`${fact.key} percentiles stand on ${done} (${share}): the rest never came back, and what never comes has no finite latency, so each is ❌`);
  }
  return { metrics, histograms, notes, ...unmeasuredOf(suite, answered) };
}

function unmeasuredOf(suite: SuiteName, answered: Ratio | undefined): { unmeasured?: string } {
  if (!answered || answered.denominator === 0 || answered.numerator > 0) return {};
  const what = specOf(metricId(suite, "wire", ANSWERED))?.label ?? "planned operations done";
  return { unmeasured: `could not measure: 0 of ${formatNumber(answered.denominator)} ${what}` };
}
