/**
 * @module
 * The statistics of the runtime matrix, on plain numbers: the median and the
 * spread of each pairing's rounds, the leader of a metric by its `better`
 * direction, ties, and ratios.
 *
 * The spread is the range (max − min) of a pairing's rounds: with the three
 * rounds of a default run an interquartile range would be the range anyway.
 * Two pairings tie when their ranges overlap: the difference between their
 * medians is no larger than the spread on the sides that face each other, so
 * the noise of the machine could have made either one look better. A win
 * therefore means every round of the leader beat every round of the other
 * (with three rounds each, a 1-in-20 chance if both were equally fast). With
 * one round there is no spread, and only equal figures tie.
 *
 * @example
 * ```ts
 * import { compareCells } from "./matrix-statistics.ts";
 * const c = compareCells("higher", [
 *   { pairing: "node/node", samples: [100, 104, 98] },
 *   { pairing: "bun/bun", samples: [200, 190, 210] },
 * ]);
 * c.leader;  // "bun/bun"
 * c.outcome; // "win"
 * c.cells[0].ratio; // 2 (bun/bun is twice as fast)
 * ```
 */
import type { MetricCell } from "../model/matrix-document.ts";

export type Better = "higher" | "lower";

export const TIE_RULE =
  "two pairings tie when the ranges (min–max) of their rounds overlap; a win means every round of the leader beat every round of the other";

/** The middle value; the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError("median() of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export type Summary = { median: number; min: number; max: number; spread: number };

export function summarize(samples: readonly number[]): Summary {
  const m = median(samples);
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  return { median: m, min, max, spread: max - min };
}

/** Whether `a` is better than `b` in the `better` direction. */
function beats(better: Better, a: number, b: number): boolean {
  return better === "higher" ? a > b : a < b;
}

/** Whether two pairings are within each other's noise: their ranges overlap. */
export function isTie(a: Summary, b: Summary): boolean {
  return a.min <= b.max && b.min <= a.max;
}

/**
 * How many times better `best` is than `other` (≥ 1): best ÷ other when higher
 * is better, other ÷ best when lower is. Equal figures give 1 (zero errors on
 * both sides included); null when the leader is infinitely better (one error
 * against none, a throughput of zero) or a figure is negative.
 */
export function ratio(better: Better, best: number, other: number): number | null {
  if (best === other) return 1;
  const [num, den] = better === "higher" ? [best, other] : [other, best];
  if (num < 0 || den <= 0) return null;
  return Math.max(1, num / den);
}

export type CellInput = { pairing: string; samples: readonly number[] };

export type Comparison = {
  leader: string;
  outcome: "win" | "tie";
  tiedWith: string[];
  cells: MetricCell[];
};

/**
 * Compares the pairings on one metric. The leader has the best median (the
 * first given on equal medians); the outcome is a tie when any other pairing
 * is within the noise of the leader (their ranges overlap).
 */
export function compareCells(better: Better, inputs: readonly CellInput[]): Comparison {
  const withSamples = inputs.filter((i) => i.samples.length > 0);
  if (withSamples.length === 0) throw new RangeError("compareCells() needs at least one pairing with samples");
  const summaries = withSamples.map((i) => ({ pairing: i.pairing, samples: [...i.samples], ...summarize(i.samples) }));
  const lead = summaries.reduce((best, s) => (beats(better, s.median, best.median) ? s : best));
  const cells: MetricCell[] = summaries.map((s) => ({
    ...s,
    ratio: ratio(better, lead.median, s.median),
    tied: s !== lead && isTie(lead, s),
  }));
  const tiedWith = cells.filter((c) => c.tied).map((c) => c.pairing);
  return { leader: lead.pairing, outcome: tiedWith.length > 0 ? "tie" : "win", tiedWith, cells };
}
