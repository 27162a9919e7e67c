import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { prng } from "./fixtures/fuzz-frames.ts";
import * as v from "valibot";
import { Histogram, MAX_TRACKABLE_NS } from "../src/model/histogram.ts";
import { HistogramJsonSchema } from "../src/model/result.ts";
import type { HistogramJson } from "../src/model/result.ts";

/** Log-normal-ish latencies between 1 µs and 10 s, with fractional ns. */
function latencies(n: number, seed = 42): number[] {
  const rand = prng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const bell = (rand() + rand() + rand()) / 3; // Irwin–Hall: bell-shaped in [0, 1]
    out.push(10 ** (3 + 7 * bell));
  }
  return out;
}

/** The exact percentile by the same rank rule, on rounded values. */
function exactPercentile(sorted: number[], q: number): number {
  if (q === 0) return sorted[0];
  return sorted[Math.max(1, Math.ceil((q * sorted.length) / 100)) - 1];
}

const sample = latencies(100_000);
const whole = new Histogram();
for (const v of sample) whole.record(v);

describe("Histogram", () => {
  it("reports p50, p90, p95, p99, p99.9 and max within 1 % of the exact sorted-array values", () => {
    const sorted = sample.map((v) => Math.round(v)).sort((a, b) => a - b);
    assert.ok(sorted[0] < 5_000 && sorted[sorted.length - 1] > 1e9, "the sample spans µs to seconds");
    for (const q of [50, 90, 95, 99, 99.9, 100]) {
      const exact = exactPercentile(sorted, q);
      const got = whole.percentile(q);
      const error = Math.abs(got - exact) / exact;
      assert.ok(error <= 0.01, `p${q}: got ${got}, exact ${exact}, error ${(error * 100).toFixed(3)} %`);
    }
    assert.equal(whole.percentile(100), sorted[sorted.length - 1]);
    assert.equal(whole.percentile(0), sorted[0]);
  });

  it("keeps the default relative error at or below 1/256 for every value", () => {
    const rand = prng(7);
    const h = new Histogram();
    for (let i = 0; i < 20_000; i++) {
      const v = Math.round(2 ** (rand() * 44));
      h.reset();
      h.record(v);
      h.record(0); // so min/max clamping does not hide the bucket midpoint
      h.record(MAX_TRACKABLE_NS);
      const got = h.percentile(50);
      assert.ok(Math.abs(got - v) <= v / 256, `${v} reported as ${got}`);
    }
  });

  it("reports small values exactly, as they each have their own bucket", () => {
    const h = new Histogram();
    for (let v = 0; v < 256; v++) h.record(v);
    assert.equal(h.count, 256);
    for (let v = 1; v <= 256; v++) assert.equal(h.percentile((v / 256) * 100), v - 1);
    assert.equal(h.toJSON().buckets.length, 256);
  });

  it("rounds fractional nanoseconds to the nearest integer", () => {
    const h = new Histogram();
    h.record(1.4);
    h.record(2.6);
    assert.deepEqual([h.min, h.max, h.sum], [1, 3, 4]);
  });

  it("tracks min, max, sum and mean exactly", () => {
    const h = new Histogram();
    for (const v of [1_000, 12_345_678, 3, 987_654_321_000]) h.record(v);
    assert.equal(h.count, 4);
    assert.equal(h.min, 3);
    assert.equal(h.max, 987_654_321_000);
    assert.equal(h.sum, 1_000 + 12_345_678 + 3 + 987_654_321_000);
    assert.equal(h.mean, (1_000 + 12_345_678 + 3 + 987_654_321_000) / 4);
    assert.equal(h.percentile(0), 3);
    assert.equal(h.percentile(100), 987_654_321_000);
  });

  it("counts recordMany as that many single records", () => {
    const a = new Histogram();
    const b = new Histogram();
    a.recordMany(5_000, 3);
    a.recordMany(7, 0);
    for (let i = 0; i < 3; i++) b.record(5_000);
    assert.deepEqual(a.toJSON(), b.toJSON());
  });

  it("returns 0 for every statistic when empty", () => {
    const h = new Histogram();
    assert.deepEqual([h.count, h.min, h.max, h.sum, h.mean, h.percentile(50)], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(h.toJSON(), { subBucketBits: 8, count: 0, min: 0, max: 0, sum: 0, buckets: [] });
  });

  it("clamps values above 2^44 ns into the top bucket and still counts them", () => {
    const h = new Histogram();
    h.record(2 ** 50);
    h.record(Infinity);
    h.record(MAX_TRACKABLE_NS - 1);
    assert.equal(h.count, 3);
    assert.equal(h.max, MAX_TRACKABLE_NS);
    assert.equal(h.percentile(100), MAX_TRACKABLE_NS);
    const { buckets } = h.toJSON();
    assert.deepEqual(buckets.at(-1), [h.bucketCount - 1, 2]);
  });

  it("merges two halves into exactly the histogram of the whole", () => {
    const first = new Histogram();
    const second = new Histogram();
    sample.forEach((v, i) => (i < sample.length / 2 ? first : second).record(v));
    assert.equal(first.merge(second), first);
    assert.deepEqual(first.toJSON(), whole.toJSON());
    assert.equal(JSON.stringify(first), JSON.stringify(whole));
    assert.deepEqual(new Histogram().merge(whole).toJSON(), whole.toJSON());
    assert.deepEqual(Histogram.fromJSON(whole.toJSON()).merge(new Histogram()).toJSON(), whole.toJSON());
  });

  it("refuses to merge histograms with different subBucketBits", () => {
    assert.throws(() => new Histogram(8).merge(new Histogram(7)), /subBucketBits/);
  });

  it("round-trips through JSON exactly, in the shape the result schema accepts", () => {
    for (const h of [whole, new Histogram(), new Histogram(3)]) {
      if (h.subBucketBits === 3) { for (const ns of latencies(1_000, 3)) h.record(ns); }
      const json = v.parse(HistogramJsonSchema, JSON.parse(JSON.stringify(h)));
      const back = Histogram.fromJSON(json);
      assert.deepEqual(back.toJSON(), h.toJSON());
      for (const q of [0, 25, 50, 99, 99.99, 100]) assert.equal(back.percentile(q), h.percentile(q));
    }
  });

  it("rejects JSON whose parts are inconsistent", () => {
    const good = (): HistogramJson => {
      const h = new Histogram();
      for (const v of [10, 20, 5_000]) h.record(v);
      return h.toJSON();
    };
    const bad: [string, (j: HistogramJson) => void, RegExp][] = [
      ["count differs from bucket sum", (j) => (j.count = 4), /sum to 3, but count is 4/],
      ["index out of range", (j) => j.buckets.push([1e6, 1]), /out of range/],
      ["negative index", (j) => (j.buckets[0] = [-1, 1]), /out of range/],
      ["indexes not ascending", (j) => j.buckets.reverse(), /ascending/],
      ["zero count", (j) => j.buckets.push([4000, 0]), /positive integer/],
      ["fractional count", (j) => (j.buckets[0][1] = 0.5), /positive integer/],
      ["min outside the first bucket", (j) => (j.min = 11), /do not match/],
      ["max outside the last bucket", (j) => (j.max = 9_000), /do not match/],
      ["negative sum", (j) => (j.sum = -1), /sum must be/],
      ["NaN min", (j) => (j.min = NaN), /min must be/],
      ["bad subBucketBits", (j) => (j.subBucketBits = 0), /subBucketBits/],
    ];
    for (const [what, spoil, message] of bad) {
      const j = good();
      spoil(j);
      assert.throws(() => Histogram.fromJSON(j), message, what);
    }
    const empty = new Histogram().toJSON();
    empty.max = 5;
    assert.throws(() => Histogram.fromJSON(empty), /empty/);
  });

  it("uses the same memory after 10 records as after 1,000,000", () => {
    const h = new Histogram();
    const rand = prng(1);
    for (let i = 0; i < 10; i++) h.record(rand() * 1e10);
    const small = h.bucketCount;
    for (let i = 0; i < 1_000_000; i++) h.record(2 ** (rand() * 44));
    assert.equal(h.bucketCount, small);
    assert.equal(h.count, 1_000_010);
    assert.ok(h.bucketCount < 5_000, `bucket array has ${h.bucketCount} entries`);
    assert.ok(h.toJSON().buckets.length <= h.bucketCount);
  });

  it("starts over after reset", () => {
    const h = Histogram.fromJSON(whole.toJSON());
    h.reset();
    assert.deepEqual(h.toJSON(), new Histogram().toJSON());
    h.record(42);
    assert.deepEqual([h.min, h.max, h.percentile(50)], [42, 42, 42]);
  });

  it("throws RangeError on negative or NaN values, bad percentiles and bad settings", () => {
    const h = new Histogram();
    assert.throws(() => h.record(-1), { name: "RangeError", message: /non-negative.*-1/ });
    assert.throws(() => h.record(NaN), { name: "RangeError", message: /NaN/ });
    assert.throws(() => h.recordMany(1, -1), RangeError);
    assert.throws(() => h.recordMany(1, 1.5), RangeError);
    for (const q of [-0.1, 100.1, NaN]) assert.throws(() => h.percentile(q), RangeError);
    for (const bits of [0, 17, 8.5]) assert.throws(() => new Histogram(bits), RangeError);
    assert.equal(h.count, 0, "rejected values are not counted");
  });
});
