/**
 * @module
 * The Mann–Whitney U test (the Wilcoxon rank-sum test) of two small samples,
 * exact, with the Hodges–Lehmann estimate of the shift between them and its
 * distribution-free confidence interval (Moses). No assumption about the
 * shape of the noise: only that, without a change, every run was as likely
 * as any other to land anywhere in the pooled order.
 *
 * - The p-value counts every way the pooled values could have split into
 *   the two sides (ties get mid-ranks), so it is exact at any size this is
 *   used at; two-sided.
 * - The shift is the median of every difference current − baseline.
 * - The interval runs from the k-th smallest to the k-th largest of those
 *   differences, k from the exact distribution of U. With few runs no k
 *   reaches the confidence asked: 3 runs against 3 can never show 95 %
 *   (the most extreme split has a chance of 1 in 20 each way), 4 against 4
 *   can (1 in 70). The interval is then null: too few to tell.
 *
 * @example
 * ```ts
 * import { rankTest } from "./rank-test.ts";
 * const t = rankTest([10, 11, 10.5, 10.2, 9.8], [12, 12.5, 11.9, 12.2, 13], 0.95);
 * t.p;        // 0.0079: every current run beat every baseline run
 * t.shift;    // 2
 * t.interval; // [1.2, 2.8], at t.confidence 0.968
 * ```
 */

import { median, normalCdf, normalQuantile } from "./distributions.ts";

export type RankTest = {
  /** two-sided p-value of the rank sum */
  p: number;
  /** the Hodges–Lehmann estimate: the median of every difference y − x */
  shift: number;
  /** the shift's confidence interval at (at least) the confidence asked; null when the runs are too few to reach it */
  interval: [number, number] | null;
  /** the confidence the interval has (the distribution is discrete, so a little above the one asked); null with no interval */
  confidence: number | null;
};

/** Beyond this many splits the counts of U stop being exact integers in a double; the normal approximation takes over. */
const EXACT_LIMIT = 2 ** 52;
/** The rank sums are counted for up to this many pooled runs (60 × 30 × 3,660 steps); beyond, the normal approximation. */
const EXACT_POOL = 60;

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** How many splits of n + m distinct values give each U from 0 to n·m: the Gaussian binomial coefficient's coefficients. */
function uCounts(n: number, m: number): number[] {
  const size = n * m + 1;
  const c = new Array<number>(size).fill(0);
  c[0] = 1;
  for (let i = 1; i <= n; i++) {
    // multiply by (1 − q^(m+i)), then divide by (1 − q^i)
    for (let k = size - 1; k >= m + i; k--) c[k] -= c[k - m - i];
    for (let k = i; k < size; k++) c[k] += c[k - i];
  }
  return c;
}

/** Mid-ranks (1-based) of the pooled values, doubled so that ties stay integers. */
function doubledRanks(pooled: readonly number[]): number[] {
  const order = pooled.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(pooled.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = i + j + 2; // (i + 1 + j + 1), the doubled mean rank
    i = j + 1;
  }
  return ranks;
}

/** Two-sided p-value of the doubled rank sum `w` of m values drawn from `ranks`, over every split. */
function exactP(ranks: readonly number[], m: number, w: number): number {
  const total = ranks.reduce((a, b) => a + b, 0);
  // ways[k][s]: subsets of k ranks whose doubled sum is s
  const ways = Array.from({ length: m + 1 }, () => new Float64Array(total + 1));
  ways[0][0] = 1;
  for (const r of ranks) {
    for (let k = m; k >= 1; k--) {
      const into = ways[k];
      const from = ways[k - 1];
      for (let s = total; s >= r; s--) into[s] += from[s - r];
    }
  }
  let below = 0;
  let above = 0;
  let all = 0;
  ways[m].forEach((count, s) => {
    all += count;
    if (s <= w) below += count;
    if (s >= w) above += count;
  });
  return Math.min(1, (2 * Math.min(below, above)) / all);
}

/** The normal approximation with the tie correction, for samples too large to count. */
function approximateP(ranks: readonly number[], n: number, m: number, w: number): number {
  const N = n + m;
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  const ties = [...counts.values()].reduce((a, t) => a + t ** 3 - t, 0);
  const mean = (m * (N + 1)) / 2;
  const variance = ((n * m) / 12) * (N + 1 - ties / (N * (N - 1)));
  if (variance <= 0) return 1;
  const z = (Math.abs(w / 2 - mean) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}

/** The largest k whose tail P(U ≤ k − 1) stays within α/2, with that tail; k = 0 when none does. */
function intervalRank(n: number, m: number, alpha: number): { k: number; tail: number } {
  if (binomial(n + m, n) < EXACT_LIMIT) {
    const counts = uCounts(n, m);
    const all = binomial(n + m, n);
    let tail = 0;
    let k = 0;
    while (k < counts.length && tail + counts[k] / all <= alpha / 2) tail += counts[k++] / all;
    return { k, tail };
  }
  const z = normalQuantile(1 - alpha / 2);
  const k = Math.max(0, Math.floor((n * m) / 2 - z * Math.sqrt((n * m * (n + m + 1)) / 12)));
  return { k, tail: alpha / 2 };
}

/** The rank test of `current` against `baseline`, with the shift's interval at `confidence` (e.g. 0.95). */
export function rankTest(baseline: readonly number[], current: readonly number[], confidence: number): RankTest {
  const n = baseline.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError("rankTest() needs at least one value on each side");
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`rankTest(): confidence must be in (0, 1), got ${confidence}`);
  const ranks = doubledRanks([...baseline, ...current]);
  const w = ranks.slice(n).reduce((a, b) => a + b, 0);
  const p = n + m <= EXACT_POOL ? exactP(ranks, m, w) : approximateP(ranks, n, m, w);
  const differences = current.flatMap((y) => baseline.map((x) => y - x)).sort((a, b) => a - b);
  const { k, tail } = intervalRank(n, m, 1 - confidence);
  const interval: [number, number] | null = k === 0 ? null : [differences[k - 1], differences[differences.length - k]];
  return { p, shift: median(differences), interval, confidence: interval ? 1 - 2 * tail : null };
}

/** Whether n baseline and m current runs can reach `confidence` at all. */
export function enoughRuns(n: number, m: number, confidence: number): boolean {
  return n > 0 && m > 0 && intervalRank(n, m, 1 - confidence).k > 0;
}
