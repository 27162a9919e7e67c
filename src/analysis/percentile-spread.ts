/**
 * @module
 * How precisely one run pins a percentile down: the sampling spread of the
 * q-th percentile of a latency histogram, read from the histogram itself.
 * Of n samples, the one at rank q·n is the estimate; by the binomial
 * distribution of how many samples fall below the true percentile, the 95 %
 * interval runs between the samples at ranks q·n ∓ 1.96·√(n·q·(1 − q)),
 * whatever the shape of the distribution. The spread is that interval's
 * width on the logarithm, over 2 × 1.96: a standard deviation, as the
 * default noise model (`noise-rule.ts`) adds it to the run-to-run one.
 *
 * A p99 of 100,000 samples is pinned to a fraction of a percent; a p99 of
 * 10 samples reaches to the maximum, and its spread says so.
 *
 * @example
 * ```ts
 * import { percentileSamplingSd } from "./percentile-spread.ts";
 * const sd = percentileSamplingSd(suite.histograms["wire.rtt"], 99); // e.g. 0.04: about ±4 % for one standard deviation
 * ```
 */
import { Histogram, type HistogramJson } from "../model/histogram.ts";

const Z95 = 1.959964;

/**
 * The standard deviation of ln(the q-th percentile) from the histogram's own
 * samples; undefined when it has none, or a zero value in the interval.
 */
export function percentileSamplingSd(json: HistogramJson, q: number): number | undefined {
  const n = json.count;
  if (n === 0) return undefined;
  const h = Histogram.fromJSON(json);
  const p = q / 100;
  const reach = Z95 * Math.sqrt(n * p * (1 - p));
  const low = Math.min(n, Math.max(1, Math.floor(n * p - reach)));
  const high = Math.min(n, Math.max(1, Math.ceil(n * p + reach)));
  // the value at rank r: percentile() takes the first bucket whose cumulative count reaches ceil(q·n/100)
  const at = (rank: number) => h.percentile(Math.min(100, ((rank - 0.5) * 100) / n));
  const [lo, hi] = [at(low), at(high)];
  if (!(lo > 0 && hi > 0)) return undefined;
  return Math.log(hi / lo) / (2 * Z95);
}
