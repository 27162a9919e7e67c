/**
 * Collects what a suite measures, as it measures it, so a suite that throws
 * part-way keeps every figure it had. Labels, units and thresholds come from
 * the metric catalogue (`core/thresholds.ts`), the one place they are written.
 */
import type { Histogram } from "../core/histogram.ts";
import { makeMetric, metricId } from "../core/thresholds.ts";
import type { HistogramJson, Layer, Metric, SuiteName, Threshold } from "../report/schema.ts";
import { ErrorTally } from "../load/error-tally.ts";

export class SuiteRecorder {
  readonly metrics: Metric[] = [];
  readonly histograms: Record<string, HistogramJson> = {};
  readonly errors = new ErrorTally();
  readonly notes: string[] = [];
  readonly #suite: SuiteName;
  readonly #thresholds: Readonly<Record<string, Threshold>>;

  constructor(suite: SuiteName, thresholds: Readonly<Record<string, Threshold>> = {}) {
    this.#suite = suite;
    this.#thresholds = thresholds;
  }

  /** Records a judged metric; `key` must be in the catalogue. */
  metric(layer: Layer, key: string, value: number): void {
    if (!Number.isFinite(value)) {
      this.notes.push(`${layer} ${key}: not measurable (${value})`);
      return;
    }
    this.metrics.push(makeMetric(metricId(this.#suite, layer, key), value, this.#thresholds));
  }

  /** Records a wire latency histogram (ns) and its p50/p95/p99/max in ms. */
  latency(name: string, histogram: Histogram): void {
    if (histogram.count === 0) {
      this.notes.push(`${name}: no samples`);
      return;
    }
    this.histograms[`wire.${name}`] = histogram.toJSON();
    for (const q of [50, 95, 99] as const) this.metric("wire", `${name}_p${q}_ms`, histogram.percentile(q) / 1e6);
    this.metric("wire", `${name}_max_ms`, histogram.max / 1e6);
  }

  note(text: string): void {
    this.notes.push(text);
  }
}
