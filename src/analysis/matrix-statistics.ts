/**
 * @module
 * The statistics of the runtime matrix: per cell (a pairing, or a client
 * runtime for an engine row) the median and the range of its rounds; the
 * leader, the best median in the metric's direction; and whether it beat
 * each other cell, by the noise rule `compare` uses (`noise-rule.ts`): the
 * rank test over the rounds, the whole interval of the difference beyond
 * the tolerance. The matrix runs its own rounds, so too few of them calls
 * nothing (`too-few`) rather than falling back on a noise model; 4 rounds
 * of each can reach 95 %, 3 cannot.
 *
 * @example
 * ```ts
 * import { compareCells } from "./matrix-statistics.ts";
 * const c = compareCells("higher", [
 *   { pairing: "node/node", samples: [100, 104, 98, 101, 99] },
 *   { pairing: "bun/bun", samples: [200, 190, 210, 205, 198] },
 * ], { tolerancePercent: 10, gated: true });
 * c.leader;  // "bun/bun"
 * c.outcome; // "win"
 * c.cells[0].ratio; // 2 (bun/bun is twice as fast)
 * ```
 */
import type { MetricCell, MetricComparison } from "../model/matrix-document.ts";
import { judgeDifference } from "./noise-rule.ts";
import { median } from "./distributions.ts";

export type Better = "higher" | "lower";

export { median };

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

/** The change interval of the leader over a cell (percent) as "times better": (1 + x) when higher is better, 1 ÷ (1 + x) when lower is. */
function timesBetter(better: Better, interval: [number, number] | null): [number, number] | null {
  if (interval === null) return null;
  const [lo, hi] = interval.map((x) => 1 + x / 100);
  if (!(lo > 0 && hi > 0)) return null;
  return better === "higher" ? [lo, hi] : [1 / hi, 1 / lo];
}

export type CellInput = { pairing: string; samples: readonly number[] };

export type CellComparison = Pick<MetricComparison, "leader" | "outcome" | "tiedWith" | "cells">;

/**
 * Compares the cells on one metric. The leader has the best median (the
 * first given on equal medians); it wins when the rule calls it better than
 * every other cell.
 */
export function compareCells(
  better: Better,
  inputs: readonly CellInput[],
  options: { tolerancePercent: number; gated: boolean; faults?: boolean },
): CellComparison {
  const withSamples = inputs.filter((i) => i.samples.length > 0);
  if (withSamples.length === 0) throw new RangeError("compareCells() needs at least one cell with samples");
  const summaries = withSamples.map((i) => ({ pairing: i.pairing, samples: [...i.samples], ...summarize(i.samples) }));
  const lead = summaries.reduce((best, s) => (beats(better, s.median, best.median) ? s : best));
  const cells: MetricCell[] = summaries.map((s) => {
    const call = s === lead
      ? null
      : judgeDifference({ values: s.samples }, { values: lead.samples }, { better, ...options, whenTooFew: "no-call" });
    return {
      ...s,
      ratio: ratio(better, lead.median, s.median),
      ratioInterval: call?.method === "rank-test" ? timesBetter(better, call.interval) : null,
      call,
      beaten: call?.call === "better",
    };
  });
  const others = cells.filter((c) => c.call !== null);
  const tiedWith = others.filter((c) => !c.beaten).map((c) => c.pairing);
  const outcome: MetricComparison["outcome"] = others.length === 0
    ? "alone"
    : !options.gated
    ? "not-gated"
    : others.every((c) => c.call?.call === "too-few")
    ? "too-few"
    : tiedWith.length === 0
    ? "win"
    : "tie";
  return { leader: lead.pairing, outcome, tiedWith: outcome === "tie" ? tiedWith : [], cells };
}
