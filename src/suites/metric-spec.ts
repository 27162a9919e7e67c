/**
 * How a suite declares the metrics it emits: label, unit, which way is
 * better, and, for the judged ones, the default threshold. The catalogue
 * (`metric-catalogue.ts`) is the union of the six suites' declarations.
 * Engine thresholds are the seed guide's; wire thresholds are wsstress's own.
 */
import type { Layer, Threshold } from "../model/result.ts";

export type MetricSpec = {
  readonly label: string;
  readonly unit: string;
  readonly better: "higher" | "lower" | "none";
  readonly threshold?: Threshold;
  /** judged by equality instead of a threshold: passes only at exactly this value (a share that must be whole) */
  readonly exact?: number;
  /** a count of faults that must stay at zero: the warm-up keeps these (and only these) of its figures */
  readonly fault?: boolean;
  /** shown in the summary across levels */
  readonly headline?: boolean;
  /** a percentile of the wire latency histogram `op`: exported as that quantile of its Prometheus summary, in seconds */
  readonly summary?: { readonly op: string; readonly quantile: number };
};

/** A suite's metrics by `layer.key`, e.g. `wire.rtt_p99_ms`. */
export type MetricDeclarations = Readonly<Record<`${Layer}.${string}`, MetricSpec>>;

export const higher = (excellent: number, good: number): Threshold => ({ better: "higher", excellent, good });
export const lower = (excellent: number, good: number): Threshold => ({ better: "lower", excellent, good });
/** a count that must stay at zero: 0 passes, anything else fails */
export const ZERO: Threshold = lower(1, 1);

/** One metric; `headline` puts it in the summary across levels. */
export function metric(
  label: string,
  unit: string,
  better: MetricSpec["better"],
  threshold?: Threshold,
  headline?: "headline",
): MetricSpec {
  return Object.freeze({ label, unit, better, ...(threshold ? { threshold } : {}), ...(headline ? { headline: true } : {}) });
}

/** A rate the summary across levels shows; higher is better. */
export const headlineRate = (label: string, unit: string, threshold?: Threshold): MetricSpec =>
  metric(label, unit, "higher", threshold, "headline");
/** A count of faults that must stay at zero: anything else fails. */
export const mustBeZero = (label: string): MetricSpec => Object.freeze({ ...metric(label, "", "lower", ZERO), fault: true });
/** whole: 100 % of what the level planned was done; anything less fails (see `ANSWERED` in `suite-recorder.ts`) */
export const WHOLE = 100;
/** The share of the planned work done (`wire.answered_pct`), which passes only whole. */
export const whole = (label: string): MetricSpec => Object.freeze({ ...metric(label, "%", "higher"), exact: WHOLE });
/** A figure shown as it is, never judged. */
export const plain = (label: string, unit: string): MetricSpec => metric(label, unit, "none");

type Percentiles<K extends string> = `wire.${K}_p50_ms` | `wire.${K}_p95_ms` | `wire.${K}_p99_ms` | `wire.${K}_max_ms`;

/**
 * The percentiles of one wire latency histogram, recorded as `key`; only p99
 * carries a threshold, and p95 and p99 head the summary when it does.
 */
export function latencies<K extends string>(key: K, label: string, p99: Threshold | undefined): Record<Percentiles<K>, MetricSpec> {
  const headline = p99 ? "headline" : undefined;
  const of = (spec: MetricSpec, quantile: number): MetricSpec => Object.freeze({ ...spec, summary: Object.freeze({ op: key, quantile }) });
  return {
    [`wire.${key}_p50_ms`]: of(metric(`${label} p50`, "ms", "lower"), 0.5),
    [`wire.${key}_p95_ms`]: of(metric(`${label} p95`, "ms", "lower", undefined, headline), 0.95),
    [`wire.${key}_p99_ms`]: of(metric(`${label} p99`, "ms", "lower", p99, headline), 0.99),
    [`wire.${key}_max_ms`]: of(metric(`${label} max`, "ms", "lower"), 1),
  } as Record<Percentiles<K>, MetricSpec>;
}
