/**
 * @module
 * The figures of one side of a comparison: for every metric (level, suite,
 * layer, key) the figure of every run that holds it, with a percentile's own
 * sampling spread. Latency percentiles are recomputed from each run's
 * histogram, never from averages, so a tail the mean hides still shows.
 *
 * @example
 * ```ts
 * import { runFigures } from "./run-figures.ts";
 * const side = runFigures([run1, run2, run3]);
 * side.figures.get("minimal|message|wire|rtt_p99_ms")?.values; // one p99 per run
 * ```
 */
import { Histogram } from "../model/histogram.ts";
import type { HistogramJson, Metric, Result, SuiteId, SuiteResult } from "../model/result.ts";
import { latencyKeyNow } from "../model/latency-before-v3.ts";
import { percentileSamplingSd } from "./percentile-spread.ts";

export type Figure = {
  level: string;
  suite: SuiteId;
  metric: Metric;
  values: number[];
  /** per run: the sampling spread of a percentile's logarithm, 0 when none is known */
  samplingSd: number[];
  /** every run's figure came from its histogram */
  fromHistograms: boolean;
};

export type SideFigures = {
  /** by `level|suite|layer|key`, in the order the runs first hold them */
  figures: Map<string, Figure>;
  /** every level, and every `level suite`, any run holds (skipped suites aside) */
  levels: Set<string>;
  suites: Set<string>;
  /** `minimal broadcast was skipped in the baseline: …` */
  skipped: string[];
};

const LATENCY_KEY = /^(\w+)_(p(\d+(?:\.\d+)?)|max)_ms$/;

/** A latency metric's figure and sampling spread recomputed from its histogram, when the run kept one with samples. */
function fromHistogram(suite: SuiteResult, metric: Metric): { value: number; samplingSd: number } | undefined {
  const match = metric.layer === "wire" ? LATENCY_KEY.exec(metric.key) : null;
  const json: HistogramJson | undefined = match ? suite.histograms[`wire.${match[1]}`] : undefined;
  if (!match || !json || json.count === 0) return undefined;
  const h = Histogram.fromJSON(json);
  if (match[2] === "max") return { value: h.max / 1e6, samplingSd: 0 };
  const q = Number(match[3]);
  return { value: h.percentile(q) / 1e6, samplingSd: percentileSamplingSd(json, q) ?? 0 };
}

/**
 * `asNow`: read the latencies of results older than schema 3 by what they mean now (`latency-before-v3.ts`), for a
 * comparison with newer results; a latency with no counterpart now is left out.
 */
export function runFigures(runs: readonly Result[], role: string, asNow = false): SideFigures {
  const side: SideFigures = { figures: new Map(), levels: new Set(), suites: new Set(), skipped: [] };
  for (const run of runs) {
    for (const level of run.levels) {
      side.levels.add(level.level.name);
      for (const suite of level.suites) {
        if (suite.status === "skipped") {
          side.skipped.push(`${level.level.name} ${suite.suite} was skipped in ${role}: ${suite.reason ?? "no reason given"}`);
          continue;
        }
        side.suites.add(`${level.level.name} ${suite.suite}`);
        for (const measured of suite.metrics) {
          const key = asNow && measured.layer === "wire" ? latencyKeyNow(run.schemaVersion, suite.suite, measured.key) : measured.key;
          if (key === undefined) continue;
          // what it is now: a queue, shown and never judged
          const metric = key === measured.key
            ? measured
            : { ...measured, key, label: `${measured.label} (closed loop)`, better: "none" as const };
          const id = `${level.level.name}|${suite.suite}|${metric.layer}|${metric.key}`;
          let figure = side.figures.get(id);
          if (!figure) {
            side.figures.set(
              id,
              figure = { level: level.level.name, suite: suite.suite, metric, values: [], samplingSd: [], fromHistograms: true },
            );
          }
          const recomputed = fromHistogram(suite, measured);
          figure.values.push(recomputed?.value ?? metric.value);
          figure.samplingSd.push(recomputed?.samplingSd ?? 0);
          figure.fromHistograms &&= recomputed !== undefined;
        }
      }
    }
  }
  side.skipped = [...new Set(side.skipped)];
  return side;
}
