/** Turns a suite's (merged) facts into the judged metrics and histograms of its result. */
import { Histogram } from "../model/histogram.ts";
import { makeMetric, metricId } from "../suites/metric-catalogue.ts";
import type { HistogramJson, Metric, SuiteName, Threshold } from "../model/result.ts";
import { factValue, type Facts, spreadFigures } from "../model/facts.ts";

export type SuiteFigures = { metrics: Metric[]; histograms: Record<string, HistogramJson>; notes: string[] };

export function figuresOf(suite: SuiteName, facts: Facts, thresholds: Readonly<Record<string, Threshold>>): SuiteFigures {
  const metrics: Metric[] = [];
  const histograms: Record<string, HistogramJson> = {};
  const notes: string[] = [];
  const push = (layer: Metric["layer"], key: string, value: number): void => {
    if (Number.isFinite(value)) metrics.push(makeMetric(metricId(suite, layer, key), value, thresholds));
    else notes.push(`${layer} ${key}: not measurable (nothing completed in the measured span)`);
  };
  for (const fact of facts.facts) {
    if (fact.kind === "spread") {
      const { min, max, cvPct } = spreadFigures(fact);
      push(fact.layer, `${fact.key}_min`, min);
      push(fact.layer, `${fact.key}_max`, max);
      push(fact.layer, `${fact.key}_cv_pct`, cvPct);
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
    for (const q of [50, 95, 99] as const) push("wire", `${fact.key}_p${q}_ms`, histogram.percentile(q) / 1e6);
    push("wire", `${fact.key}_max_ms`, histogram.max / 1e6);
  }
  return { metrics, histograms, notes };
}
