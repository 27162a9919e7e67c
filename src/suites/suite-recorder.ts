/**
 * Collects what a suite measures, as it measures it, so a suite that throws
 * part-way keeps every figure it had. It records facts (`model/facts.ts`), which
 * merge exactly across worker processes; `metrics()` turns them into judged
 * metrics, with labels, units and thresholds from the catalogue
 * (`suites/metric-catalogue.ts`), the one place they are written.
 */
import type { Histogram } from "../model/histogram.ts";
import { ErrorTally } from "../load/error-tally.ts";
import type { Layer } from "../model/result.ts";
import { type Fact, type Facts, spreadOf } from "../model/facts.ts";

export class SuiteRecorder {
  readonly facts: Fact[] = [];
  readonly latencies: Facts["latencies"] = {};
  readonly errors = new ErrorTally();
  readonly notes: string[] = [];

  /** a number of things that adds up across shares: failures, lost deliveries */
  count(layer: Layer, key: string, value: number): void {
    this.facts.push({ kind: "count", layer, key, value });
  }

  /** `ops` done between two wall-clock instants (epoch ms) */
  rate(layer: Layer, key: string, ops: number, startMs: number, endMs: number): void {
    this.facts.push({ kind: "rate", layer, key, ops, startMs, endMs });
  }

  /** a figure whose worst share is what counts: a lag, a peak */
  max(layer: Layer, key: string, value: number): void {
    this.facts.push({ kind: "max", layer, key, value });
  }

  ratio(layer: Layer, key: string, numerator: number, denominator: number): void {
    this.facts.push({ kind: "ratio", layer, key, numerator, denominator });
  }

  /** how evenly `values` (one per connection, say) are spread: reported as min, max and coefficient of variation */
  spread(layer: Layer, key: string, values: ArrayLike<number>): void {
    this.facts.push(spreadOf(layer, key, values));
  }

  /** a figure measured once, here (an engine timing, a fraction of one run) */
  value(layer: Layer, key: string, value: number): void {
    this.facts.push({ kind: "value", layer, key, value });
  }

  /** a wire latency histogram (ns); reported as p50/p95/p99/max in ms */
  latency(name: string, histogram: Histogram): void {
    this.facts.push({ kind: "latency", layer: "wire", key: name });
    this.latencies[name] = histogram.toJSON();
  }

  note(text: string): void {
    this.notes.push(text);
  }

  toFacts(): Facts {
    return { facts: this.facts, latencies: this.latencies };
  }
}
