/**
 * @module
 * A log-linear (HDR-style) histogram of nanosecond latencies. Memory is one
 * fixed Float64Array whatever the number of samples, `record` allocates
 * nothing, and two histograms merge exactly, so each connection or worker can
 * keep its own and the report sums them.
 *
 * @example
 * ```ts
 * import { Histogram } from "./histogram.ts";
 * const h = new Histogram();
 * const t0 = performance.now();
 * // ... one round trip ...
 * h.record((performance.now() - t0) * 1e6);
 * h.percentile(99); // ns, within 1/2^subBucketBits (0.4 % by default)
 * const copy = Histogram.fromJSON(JSON.parse(JSON.stringify(h)));
 * ```
 */
import * as v from "valibot";
import type { IntFrom, List, NonNegative, Num, Obj } from "./valibot-types.ts";
import { count, nonNegative } from "./_schema-numbers.ts";

/** A histogram as JSON, as results keep it: two of them merge exactly. */
export const HistogramJsonSchema: Obj<{
  readonly subBucketBits: v.SchemaWithPipe<
    readonly [Num, v.IntegerAction<number, undefined>, v.MinValueAction<number, 1, undefined>, v.MaxValueAction<number, 16, undefined>]
  >;
  readonly count: IntFrom<0>;
  readonly min: NonNegative;
  readonly max: NonNegative;
  readonly sum: NonNegative;
  readonly buckets: List<
    v.TupleSchema<[IntFrom<0>, v.SchemaWithPipe<readonly [IntFrom<0>, v.MinValueAction<number, 1, undefined>]>], undefined>
  >;
}> = v.object({
  subBucketBits: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16)),
  count,
  min: nonNegative,
  max: nonNegative,
  sum: nonNegative,
  /** [bucket index, count] pairs for the non-empty buckets, ascending */
  buckets: v.array(v.tuple([count, v.pipe(count, v.minValue(1))])),
});
export type HistogramJson = v.InferOutput<typeof HistogramJsonSchema>;

/** 2^44 ns ≈ 4.9 h: far beyond any latency; larger values are stored as this. */
export const MAX_TRACKABLE_NS = 2 ** 44;
const POW2_32 = 2 ** 32;

/**
 * Values below 2^bits are their own bucket. Above, a value whose highest set
 * bit is e keeps its top `bits` bits: shift = e - bits + 1 drops the rest, and
 * each doubling adds 2^(bits-1) buckets. clz32 on the high or low 32-bit half
 * finds e without Math.log (v is an integer ≤ 2^44, so it never exceeds 2^53).
 */
function bucketIndex(v: number, bits: number): number {
  if (v < 1 << bits) return v;
  let shift: number;
  let sub: number;
  if (v < POW2_32) {
    shift = 31 - Math.clz32(v) - bits + 1;
    sub = v >>> shift;
  } else {
    // clz32 truncates v / 2^32 to its integer part: the high half.
    shift = 63 - Math.clz32(v / POW2_32) - bits + 1;
    sub = Math.floor(v / 2 ** shift); // division by a power of two is exact
  }
  return shift * (1 << (bits - 1)) + sub;
}

/** Validates, rounds and clamps a recorded value. */
function toNs(ns: number): number {
  // `!(>=)` also catches NaN, which every comparison would otherwise let through.
  if (!(ns >= 0)) throw new RangeError(`Histogram: expected a non-negative number of nanoseconds, got ${ns}`);
  return ns < MAX_TRACKABLE_NS ? Math.round(ns) + 0 : MAX_TRACKABLE_NS; // + 0 turns -0 into 0
}

/** Midpoint of bucket `i`'s integer values: the inverse of `bucketIndex`. */
function bucketMid(i: number, bits: number): number {
  if (i < 1 << bits) return i;
  const shift = (i >>> (bits - 1)) - 1;
  const width = 2 ** shift;
  return (i - shift * (1 << (bits - 1))) * width + (width - 1) / 2;
}

export class Histogram {
  readonly subBucketBits: number;
  #counts: Float64Array; // Float64 counts stay exact up to 2^53, so never overflow in practice
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = 0;

  constructor(subBucketBits = 8) {
    if (!Number.isInteger(subBucketBits) || subBucketBits < 1 || subBucketBits > 16) {
      throw new RangeError(`Histogram: subBucketBits must be an integer in [1, 16], got ${subBucketBits}`);
    }
    this.subBucketBits = subBucketBits;
    this.#counts = new Float64Array(bucketIndex(MAX_TRACKABLE_NS, subBucketBits) + 1);
  }

  /** Records one value in ns: rounded to an integer, clamped to MAX_TRACKABLE_NS. */
  record(ns: number): void {
    const v = toNs(ns);
    this.#counts[bucketIndex(v, this.subBucketBits)]++;
    this.#count++;
    this.#sum += v;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  /** Records `count` occurrences of the same value, e.g. from a coarser counter. */
  recordMany(ns: number, count: number): void {
    const v = toNs(ns);
    if (!(count >= 0 && Number.isSafeInteger(count))) {
      throw new RangeError(`Histogram: count must be a non-negative integer, got ${count}`);
    }
    if (count === 0) return;
    this.#counts[bucketIndex(v, this.subBucketBits)] += count;
    this.#count += count;
    this.#sum += v * count;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  get count(): number {
    return this.#count;
  }
  get sum(): number {
    return this.#sum;
  }
  get min(): number {
    return this.#count === 0 ? 0 : this.#min;
  }
  get max(): number {
    return this.#max;
  }
  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }
  /** Length of the fixed bucket array: depends only on subBucketBits. */
  get bucketCount(): number {
    return this.#counts.length;
  }

  /** The non-empty buckets as [midpoint ns, count], ascending, midpoints clamped into [min, max]: for plotting the distribution. */
  *entries(): Generator<[number, number]> {
    const counts = this.#counts;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] > 0) yield [Math.min(this.#max, Math.max(this.#min, bucketMid(i, this.subBucketBits))), counts[i]];
    }
  }

  /**
   * The value below or at which q % of the samples lie: the midpoint of the
   * first bucket whose cumulative count reaches ceil(q/100 × count), clamped
   * into [min, max] so that p0 and p100 are exact.
   */
  percentile(q: number): number {
    if (!(q >= 0 && q <= 100)) throw new RangeError(`Histogram: percentile must be in [0, 100], got ${q}`);
    if (this.#count === 0) return 0;
    if (q === 0) return this.#min;
    if (q === 100) return this.#max;
    // q * count / 100 rather than q / 100 * count: 99.9 * 1e5 / 100 is exactly 99900.
    const rank = Math.max(1, Math.ceil((q * this.#count) / 100));
    const counts = this.#counts;
    const bits = this.subBucketBits;
    let seen = 0;
    for (let i = bucketIndex(this.#min, bits); i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(this.#max, Math.max(this.#min, bucketMid(i, bits)));
      }
    }
    return this.#max; // unreachable while counts sum to count
  }

  /** Adds `other`'s samples to this one; exact, as the buckets line up. */
  merge(other: Histogram): this {
    if (other.subBucketBits !== this.subBucketBits) {
      throw new RangeError(`Histogram: cannot merge subBucketBits ${other.subBucketBits} into ${this.subBucketBits}`);
    }
    if (other.#count === 0) return this;
    const mine = this.#counts;
    const theirs = other.#counts;
    for (let i = 0; i < mine.length; i++) mine[i] += theirs[i];
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#min = Math.min(this.#min, other.#min);
    this.#max = Math.max(this.#max, other.#max);
    return this;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#min = Infinity;
    this.#max = 0;
  }

  toJSON(): HistogramJson {
    const buckets: [number, number][] = [];
    const counts = this.#counts;
    for (let i = 0; i < counts.length; i++) if (counts[i] > 0) buckets.push([i, counts[i]]);
    return { subBucketBits: this.subBucketBits, count: this.#count, min: this.min, max: this.#max, sum: this.#sum, buckets };
  }

  /** Rebuilds a histogram from `toJSON` output; throws if the parts disagree. */
  static fromJSON(json: HistogramJson): Histogram {
    const h = new Histogram(json.subBucketBits);
    const fail = (why: string): never => {
      throw new Error(`Histogram.fromJSON: ${why}`);
    };
    const { count, min, max, sum, buckets } = json;
    for (const [name, x] of [["count", count], ["min", min], ["max", max], ["sum", sum]] as const) {
      if (!(Number.isFinite(x) && x >= 0)) fail(`${name} must be a finite non-negative number, got ${x}`);
    }
    if (!Array.isArray(buckets)) fail("buckets must be an array of [index, count] pairs");
    let total = 0;
    let last = -1;
    for (const pair of buckets) {
      const [i, c] = Array.isArray(pair) ? pair : [NaN, NaN];
      if (!Number.isInteger(i) || i <= last || i >= h.bucketCount) {
        fail(`bucket index ${i} is out of range [0, ${h.bucketCount}) or not ascending`);
      }
      if (!(Number.isSafeInteger(c) && c >= 1)) fail(`bucket ${i} has count ${c}; expected a positive integer`);
      h.#counts[i] = c;
      total += c;
      last = i;
    }
    if (total !== count) fail(`bucket counts sum to ${total}, but count is ${count}`);
    if (count === 0) {
      if (min !== 0 || max !== 0 || sum !== 0) fail("an empty histogram must have min, max and sum 0");
      return h;
    }
    // min and max were recorded values, so they must fall in the first and last buckets.
    const bits = json.subBucketBits;
    if (min > max || bucketIndex(min, bits) !== buckets[0][0] || bucketIndex(max, bits) !== last) {
      fail(`min ${min} and max ${max} do not match the first and last buckets`);
    }
    h.#count = count;
    h.#sum = sum;
    h.#min = min;
    h.#max = max;
    return h;
  }
}
