/** Collects what a suite measures, as it measures it. */
import type { Histogram } from "../core/histogram.ts";
import type { HistogramJson, Layer } from "../report/schema.ts";
import { ErrorTally } from "../load/error-tally.ts";

export type MetricDraft = {
  key: string;
  label: string;
  layer: Layer;
  unit: string;
  value: number;
  better: "higher" | "lower" | "none";
};

export class SuiteRecorder {
  readonly metrics: MetricDraft[] = [];
  readonly histograms: Record<string, HistogramJson> = {};
  readonly errors = new ErrorTally();
  readonly notes: string[] = [];

  metric(layer: Layer, key: string, label: string, unit: string, value: number, better: MetricDraft["better"]): void {
    if (!Number.isFinite(value)) {
      this.notes.push(`${label}: not measurable (${value})`);
      return;
    }
    this.metrics.push({ key, label, layer, unit, value, better });
  }

  /** Records a latency histogram (ns) and its p50/p95/p99/max as metrics in `unit` (ms or µs). */
  latency(layer: Layer, name: string, label: string, histogram: Histogram, unit: "ms" | "µs" = "ms"): void {
    if (histogram.count === 0) {
      this.notes.push(`${label}: no samples`);
      return;
    }
    this.histograms[`${layer}.${name}`] = histogram.toJSON();
    const scale = unit === "ms" ? 1e6 : 1e3;
    for (const q of [50, 95, 99] as const) {
      this.metric(layer, `${name}_p${q}_${unit === "ms" ? "ms" : "us"}`, `${label} p${q}`, unit, histogram.percentile(q) / scale, "lower");
    }
    this.metric(layer, `${name}_max_${unit === "ms" ? "ms" : "us"}`, `${label} max`, unit, histogram.max / scale, "lower");
  }

  note(text: string): void {
    this.notes.push(text);
  }
}
