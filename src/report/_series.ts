/**
 * @module
 * The figures the charts draw, taken from the result in one place so the
 * HTML and markdown charts show the numbers the tables show: throughput from
 * the metrics, latency percentiles and distributions recomputed from the
 * histograms (never averaged).
 */
import { isThroughput } from "../analysis/degradation.ts";
import { Histogram } from "../model/histogram.ts";
import { specOf } from "../suites/metric-catalogue.ts";
import type { HistogramJson, Layer, LevelResult, Metric, Result, SuiteName, SuiteResult, Verdict } from "../model/result.ts";
import { SUITE_NAMES } from "../model/result.ts";

export type Point = { level: string; value: number; verdict: Verdict };

/** One throughput metric of one suite and layer across the levels. */
export type ThroughputSeries = { suite: SuiteName; layer: Layer; key: string; label: string; unit: string; points: Point[] };

export const QUANTILES = [50, 95, 99] as const;
export type Quantile = (typeof QUANTILES)[number];

/** One latency histogram of one suite (`rtt`, `handshake`…) across the levels, in ms. */
export type LatencySeries = {
  suite: SuiteName;
  name: string;
  label: string;
  points: Array<{ level: string; count: number; ms: Record<Quantile, number>; verdicts: Record<Quantile, Verdict> }>;
};

export type Bin = { fromMs: number; toMs: number; count: number };

/** One histogram at one level, re-binned on a log scale for drawing. */
export type Distribution = {
  suite: SuiteName;
  name: string;
  label: string;
  level: string;
  count: number;
  bins: Bin[];
  ms: Record<Quantile, number>;
};

/** What the series are drawn from: a result's levels (the live dashboard has no more than the levels finished so far). */
export type Levels = Pick<Result, "levels">;

/** Every suite that ran at any level, once, in the seed's order. */
function suitesOf(result: Levels): SuiteName[] {
  const names = new Set(result.levels.flatMap((l) => l.suites.map((s) => s.suite)));
  return SUITE_NAMES.filter((s) => names.has(s));
}

function suiteAt(level: LevelResult, suite: SuiteName): SuiteResult | undefined {
  return level.suites.find((s) => s.suite === suite);
}

/** The catalogue's headline throughput of a suite and layer, else its first throughput metric. */
function mainThroughput(suite: SuiteName, metrics: readonly Metric[]): Metric | undefined {
  const rates = metrics.filter(isThroughput);
  return rates.find((m) => specOf(`${suite}.${m.layer}.${m.key}`)?.headline) ?? rates[0];
}

export function throughputSeries(result: Levels): ThroughputSeries[] {
  const out: ThroughputSeries[] = [];
  for (const suite of suitesOf(result)) {
    for (const layer of ["wire", "engine"] as const) {
      const sample = result.levels
        .map((l) => mainThroughput(suite, suiteAt(l, suite)?.metrics.filter((m) => m.layer === layer) ?? []))
        .find((m) => m);
      if (!sample) continue;
      const points = result.levels.flatMap((l) => {
        const m = suiteAt(l, suite)?.metrics.find((x) => x.layer === layer && x.key === sample.key);
        return m ? [{ level: l.level.name, value: m.value, verdict: m.verdict }] : [];
      });
      out.push({ suite, layer, key: sample.key, label: sample.label, unit: sample.unit, points });
    }
  }
  return out;
}

/** `rtt` → "RTT", from the catalogue's label for its p50. */
function latencyLabel(suite: SuiteName, name: string): string {
  return specOf(`${suite}.wire.${name}_p50_ms`)?.label.replace(/ p50$/, "") ?? name;
}

/** Histogram names (`wire.rtt` keys) of a suite across every level, in order of first appearance. */
function histogramNames(result: Levels, suite: SuiteName): string[] {
  const names: string[] = [];
  for (const l of result.levels) {
    for (const key of Object.keys(suiteAt(l, suite)?.histograms ?? {})) if (!names.includes(key)) names.push(key);
  }
  return names;
}

const toMs = (h: Histogram, q: Quantile) => h.percentile(q) / 1e6;

export function latencySeries(result: Levels): LatencySeries[] {
  const out: LatencySeries[] = [];
  for (const suite of suitesOf(result)) {
    for (const key of histogramNames(result, suite)) {
      const name = key.replace(/^wire\./, "");
      const points = result.levels.flatMap((l) => {
        const s = suiteAt(l, suite);
        const json = s?.histograms[key];
        if (!s || !json || json.count === 0) return [];
        const h = Histogram.fromJSON(json);
        const verdictOf = (q: Quantile) => s.metrics.find((m) => m.layer === "wire" && m.key === `${name}_p${q}_ms`)?.verdict ?? "none";
        return [{
          level: l.level.name,
          count: h.count,
          ms: { 50: toMs(h, 50), 95: toMs(h, 95), 99: toMs(h, 99) },
          verdicts: { 50: verdictOf(50), 95: verdictOf(95), 99: verdictOf(99) },
        }];
      });
      if (points.length > 0) out.push({ suite, name, label: latencyLabel(suite, name), points });
    }
  }
  return out;
}

/** Every histogram of every suite at every level, binned into `bins` log-spaced bins from min to max. */
export function distributions(result: Levels, bins = 40): Distribution[] {
  const out: Distribution[] = [];
  for (const suite of suitesOf(result)) {
    for (const key of histogramNames(result, suite)) {
      const name = key.replace(/^wire\./, "");
      for (const l of result.levels) {
        const json = suiteAt(l, suite)?.histograms[key];
        if (!json || json.count === 0) continue;
        const h = Histogram.fromJSON(json);
        out.push({
          suite,
          name,
          label: latencyLabel(suite, name),
          level: l.level.name,
          count: h.count,
          bins: logBins(json, h, bins),
          ms: { 50: toMs(h, 50), 95: toMs(h, 95), 99: toMs(h, 99) },
        });
      }
    }
  }
  return out;
}

function logBins(json: HistogramJson, h: Histogram, n: number): Bin[] {
  // a zero latency has no logarithm: start the axis at 1 ns
  const lo = Math.max(1, json.min);
  const hi = Math.max(lo * 1.01, json.max);
  const ratio = Math.log(hi / lo);
  const edge = (k: number) => (lo * Math.exp((ratio * k) / n)) / 1e6;
  const bins: Bin[] = Array.from({ length: n }, (_, k) => ({ fromMs: edge(k), toMs: edge(k + 1), count: 0 }));
  for (const [ns, count] of h.entries()) {
    const k = Math.floor((n * Math.log(Math.max(ns, lo) / lo)) / ratio);
    bins[Math.min(n - 1, Math.max(0, k))].count += count;
  }
  return bins;
}
