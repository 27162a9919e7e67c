/**
 * The rule `compare` and `matrix` call a difference by, on figures drawn
 * with a known spread from a seeded generator (so every run of this file
 * sees the same draws): nothing called between draws of one distribution,
 * a known distance called every time, the rank test's exact figures, the
 * default noise model for too few runs, faults, single samples and
 * tolerances.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { enoughRuns, rankTest } from "../src/analysis/rank-test.ts";
import { studentTCdf, studentTQuantile } from "../src/analysis/distributions.ts";
import { assumedNoiseOf, isTailPercentile, judgeDifference, type RuleOptions } from "../src/analysis/noise-rule.ts";
import { isGeneratorFigure, isSingleSample, parseToleranceSpec, toleranceOf, tolerancesFrom } from "../src/analysis/tolerances.ts";
import { percentileSamplingSd } from "../src/analysis/percentile-spread.ts";
import { Histogram } from "../src/model/histogram.ts";

/** Log-normal draws around `median` with a spread of `cv` (the standard deviation of the logarithm), from a seeded generator. */
function drawer(seed: number) {
  let x = seed;
  const uniform = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(1e-12, uniform()))) * Math.cos(2 * Math.PI * uniform());
  return (n: number, median: number, cv: number) => Array.from({ length: n }, () => median * Math.exp(cv * normal()));
}

const HIGHER: RuleOptions = { better: "higher", tolerancePercent: 10, whenTooFew: "noise-model" };
const SEEDS = 400;

/** How many of SEEDS tries the rule called, baseline drawn around 100, current around 100 × `ratio`. */
function callsOver(n: number, m: number, cv: number, ratio: number, options: RuleOptions = HIGHER): number {
  let calls = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const draw = drawer(seed * 7919);
    const c = judgeDifference({ values: draw(n, 100, cv) }, { values: draw(m, 100 * ratio, cv) }, options);
    if (c.call === "better" || c.call === "worse") calls++;
  }
  return calls;
}

describe("the rank test", () => {
  it("gives the exact two-sided p-value, mid-ranks for ties, as a permutation count would", () => {
    // every current run above every baseline run: 2 of the 252 splits of 5 + 5 are as extreme
    assert.equal(rankTest([10, 11, 10.5, 10.2, 9.8], [12, 12.5, 11.9, 12.2, 13], 0.95).p, 2 / 252);
    // the values scipy's exact permutation test gives for these ties
    assert.ok(Math.abs(rankTest([1, 2, 2, 3], [2, 3, 3, 4, 5], 0.95).p - 0.15873015873) < 1e-9);
    assert.ok(Math.abs(rankTest([0, 0, 0, 1], [0, 1, 1, 2], 0.95).p - 0.37142857142) < 1e-9);
    assert.equal(rankTest([1, 1, 1, 1], [1, 1, 1, 1], 0.95).p, 1);
  });

  it("estimates the shift as the median pairwise difference, within the Moses interval at the confidence it reached", () => {
    const t = rankTest([10, 11, 10.5, 10.2, 9.8], [12, 12.5, 11.9, 12.2, 13], 0.95);
    assert.ok(Math.abs(t.shift - 2) < 1e-9);
    assert.deepEqual(t.interval?.map((v) => Math.round(v * 10) / 10), [1.2, 2.8]);
    assert.ok(Math.abs((t.confidence ?? 0) - (1 - 8 / 252)) < 1e-12);
  });

  it("cannot reach 95 % with 3 runs against 3, and can with 4 against 4 or 3 against 5", () => {
    assert.equal(rankTest([1, 2, 3], [4, 5, 6], 0.95).interval, null);
    assert.deepEqual([[1, 1], [2, 2], [3, 3], [3, 4], [4, 4], [3, 5], [2, 8]].map(([n, m]) => enoughRuns(n, m, 0.95)), [
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it("uses the normal approximation past 60 pooled runs, and agrees with it", () => {
    const a = Array.from({ length: 40 }, (_, i) => i);
    const t = rankTest(a, a.map((v) => v + 10), 0.95);
    assert.ok(t.p > 0.0005 && t.p < 0.001, String(t.p));
    assert.deepEqual(t.interval, [5, 15]);
  });
});

describe("Student's t, for a spread measured over a few runs", () => {
  it("matches the tables", () => {
    assert.ok(Math.abs(studentTQuantile(0.975, 2) - 4.303) < 1e-3);
    assert.ok(Math.abs(studentTQuantile(0.975, 1) - 12.706) < 1e-3);
    assert.ok(Math.abs(studentTQuantile(0.975, Infinity) - 1.96) < 1e-3);
    assert.ok(Math.abs(studentTCdf(2, 5) - 0.94903) < 1e-4);
  });
});

describe("the noise rule on draws with a known spread", () => {
  it(`calls nothing between draws of one distribution: 5 runs against 5, spreads of 5 % and 10 %, over ${SEEDS} seeds`, () => {
    assert.equal(callsOver(5, 5, 0.05, 1), 0);
    assert.equal(callsOver(5, 5, 0.1, 1), 0);
    assert.equal(callsOver(8, 8, 0.05, 1), 0);
  });

  it("calls draws of one distribution wider than the tolerance less often than the 5 % the confidence allows", () => {
    for (const cv of [0.3, 0.6]) assert.ok(callsOver(5, 5, cv, 1) <= SEEDS * 0.05, `spread ${cv}`);
  });

  it(`calls two distributions 50 % apart every time with 4 or 5 runs of each at a 5 % spread, in the right direction`, () => {
    assert.equal(callsOver(5, 5, 0.05, 0.5), SEEDS);
    assert.equal(callsOver(4, 4, 0.05, 1.5), SEEDS);
    const draw = drawer(3);
    assert.equal(judgeDifference({ values: draw(5, 100, 0.05) }, { values: draw(5, 50, 0.05) }, HIGHER).call, "worse");
    assert.equal(
      judgeDifference({ values: draw(5, 100, 0.05) }, { values: draw(5, 50, 0.05) }, { ...HIGHER, better: "lower" }).call,
      "better",
    );
  });

  it("with one run of each, calls nothing within the assumed 20 % spread and a tripling every time", () => {
    assert.equal(callsOver(1, 1, 0.05, 1), 0);
    assert.equal(callsOver(1, 1, 0.05, 3), SEEDS);
    const c = judgeDifference({ values: [100] }, { values: [80] }, HIGHER);
    assert.equal(c.method, "noise-model");
    assert.equal(c.call, "same", "a 20 % loss in one run of each is within the assumed noise");
    assert.equal(c.noisePercent?.toFixed(1), "20.0");
  });

  it("with one run of each, assumes a p95 or deeper ±110 % and an engine-layer figure ±40 %: past what unchanged runs showed", () => {
    assert.deepEqual(
      ["message.wire.rtt_p99_ms", "broadcast.wire.knee_p99_ms", "message.wire.rtt_p95_ms", "message.wire.rtt_p50_ms"].map(
        isTailPercentile,
      ),
      [true, true, true, false],
    );
    assert.equal(isTailPercentile("message.wire.round_trips_per_s"), false);
    assert.deepEqual(
      ["permission.wire.deny_p99_ms", "permission.engine.checks_per_s", "message.engine.p95_us", "message.wire.rtt_p50_ms"].map(
        assumedNoiseOf,
      ),
      [110, 40, 40, 20],
    );
    const lower = { ...HIGHER, better: "lower" as const };
    const tail = { ...lower, assumedNoisePercent: assumedNoiseOf("permission.wire.deny_p99_ms") };
    // the widest pair of 16 unchanged runs: one stall set the second p99
    assert.equal(judgeDifference({ values: [2.63] }, { values: [15.7] }, tail).call, "same");
    assert.equal(judgeDifference({ values: [2.63] }, { values: [15.7] }, lower).call, "worse", "at ±20 % it was called");
    assert.equal(judgeDifference({ values: [2.63] }, { values: [26.3] }, tail).call, "worse", "a tenfold tail still is");
    // ×7.5 apart, as the bench's widest unchanged pair of paced p95s (−86.6 %): a stall filled one run's slowest 5 %
    const p95 = { ...lower, assumedNoisePercent: assumedNoiseOf("message.wire.rtt_p95_ms") };
    assert.equal(judgeDifference({ values: [14.9] }, { values: [2.0] }, p95).call, "same");
    assert.equal(judgeDifference({ values: [14.9] }, { values: [2.0] }, lower).call, "better", "at ±20 % it was called");
    const engine = { ...HIGHER, assumedNoisePercent: assumedNoiseOf("message.engine.ops_per_s") };
    assert.equal(judgeDifference({ values: [2.76e6] }, { values: [1.04e6] }, engine).call, "same");
    assert.equal(judgeDifference({ values: [2.76e6] }, { values: [0.69e6] }, engine).call, "worse", "a quarter of the rate is beyond it");
  });

  it("with 2 or 3 runs of each, judges by the wider of the assumed and the measured spread, on Student's t", () => {
    const wide = judgeDifference({ values: [100, 160] }, { values: [70, 110] }, HIGHER);
    assert.equal(wide.method, "noise-model");
    assert.ok((wide.noisePercent ?? 0) > 20);
    assert.equal(wide.call, "same");
    assert.ok(callsOver(3, 3, 0.3, 1) <= SEEDS * 0.05);
  });

  it("says too few instead of falling back when asked not to, as the matrix does", () => {
    const c = judgeDifference({ values: [100, 101, 99] }, { values: [200, 201, 199] }, { ...HIGHER, whenTooFew: "no-call" });
    assert.equal(c.call, "too-few");
    assert.equal(c.interval, null);
  });

  it("calls only when the whole interval lies beyond the tolerance", () => {
    const base = [100, 101, 99, 100.5, 99.5];
    const cur = base.map((v) => v * 0.88);
    assert.equal(judgeDifference({ values: base }, { values: cur }, HIGHER).call, "worse");
    assert.equal(judgeDifference({ values: base }, { values: cur }, { ...HIGHER, tolerancePercent: 12 }).call, "same");
  });

  it("adds a percentile's sampling spread from its histogram to the default model", () => {
    const small = judgeDifference({ values: [10], samplingSd: [0.3] }, { values: [20], samplingSd: [0.3] }, { ...HIGHER, better: "lower" });
    const large = judgeDifference({ values: [10], samplingSd: [0.001] }, { values: [20], samplingSd: [0.001] }, {
      ...HIGHER,
      better: "lower",
    });
    assert.equal(small.call, "same");
    assert.equal(large.call, "worse");
    assert.ok((small.samplingPercent ?? 0) > 30);
  });

  it("calls a fault count worse on any rise from none, and judges figures that touch zero on their own scale", () => {
    const faults = { ...HIGHER, better: "lower" as const, faults: true };
    assert.equal(judgeDifference({ values: [0] }, { values: [1] }, faults).call, "worse");
    assert.equal(judgeDifference({ values: [0] }, { values: [1] }, faults).method, "faults");
    assert.equal(judgeDifference({ values: [0, 0, 0, 0] }, { values: [0, 0, 0, 0] }, faults).call, "same");
    assert.equal(judgeDifference({ values: [2] }, { values: [0] }, faults).call, "better");
    const zeroBase = judgeDifference({ values: [0, 0, 0, 0] }, { values: [5, 6, 7, 8] }, { ...HIGHER, better: "lower" });
    assert.equal(zeroBase.changePercent, null);
    assert.equal(zeroBase.call, "worse");
  });

  it("shows a single-sample figure's change but never calls it, and leaves a figure with no direction unjudged", () => {
    const c = judgeDifference({ values: [1] }, { values: [10] }, { ...HIGHER, better: "lower", gated: false });
    assert.equal(c.call, "not-gated");
    assert.ok((c.changePercent ?? 0) > 800);
    assert.equal(judgeDifference({ values: [1] }, { values: [10] }, { ...HIGHER, better: "none" }).call, "unjudged");
  });
});

describe("tolerances", () => {
  it("parses one for every metric and one per metric, a later default winning", () => {
    assert.deepEqual(parseToleranceSpec("12.5%"), { percent: 12.5 });
    assert.deepEqual(parseToleranceSpec("message.wire.rtt_p99_ms=15%"), { id: "message.wire.rtt_p99_ms", percent: 15 });
    const t = tolerancesFrom(["5", "message.wire.rtt_max_ms=30%", "7%"]);
    assert.deepEqual(t, { defaultPercent: 7, perMetric: { "message.wire.rtt_max_ms": 30 } });
  });

  it("never gates a max or a min unless a tolerance names it", () => {
    const t = tolerancesFrom(["message.wire.rtt_max_ms=30%"]);
    assert.deepEqual(toleranceOf(t, "message.wire.rtt_max_ms"), { percent: 30, gated: true });
    assert.deepEqual(toleranceOf(t, "broadcast.wire.latency_max_ms"), { percent: 10, gated: false });
    assert.deepEqual(toleranceOf(t, "message.wire.rtt_p99_ms"), { percent: 10, gated: true });
    assert.equal(isSingleSample("message.wire.round_trips_per_conn_min"), true);
    assert.equal(isSingleSample("message.wire.round_trips_per_s"), false);
  });

  it("never gates the generator's lag behind its send schedule unless a tolerance names it", () => {
    const t = tolerancesFrom(["permission.wire.send_lag_p99_ms=50%"]);
    assert.deepEqual(toleranceOf(t, "message.wire.send_lag_p99_ms"), { percent: 10, gated: false });
    assert.deepEqual(toleranceOf(t, "permission.wire.send_lag_p99_ms"), { percent: 50, gated: true });
    assert.deepEqual(toleranceOf(t, "message.wire.rtt_p99_ms"), { percent: 10, gated: true });
    assert.equal(isGeneratorFigure("broadcast.wire.send_lag_p99_ms"), true);
    assert.equal(isGeneratorFigure("message.wire.paced_per_s"), false);
  });

  it("refuses a bad one in one line, saying what is allowed", () => {
    assert.throws(
      () => parseToleranceSpec("ten"),
      /^RangeError: --tolerance: "ten" is not a tolerance; allowed: a percentage ≥ 0 for every metric/,
    );
    assert.throws(() => parseToleranceSpec("rtt=5%"), /^RangeError: --tolerance: "rtt" is not a metric id; allowed: suite\.layer\.key/);
    assert.throws(() => tolerancesFrom(["message.wire.errors=1", "message.wire.errors=2"]), /message\.wire\.errors is given twice/);
  });
});

describe("a percentile's sampling spread", () => {
  it("is narrow for a p50 of many samples and reaches the maximum for a p99 of ten", () => {
    const many = new Histogram();
    for (let i = 1; i <= 100_000; i++) many.record(1e6 + (i % 1000) * 1e3);
    const few = new Histogram();
    for (const ms of [1, 1, 1, 1, 1, 1, 1, 1, 1, 9]) few.record(ms * 1e6);
    assert.ok((percentileSamplingSd(many.toJSON(), 50) ?? 1) < 0.01);
    assert.ok((percentileSamplingSd(few.toJSON(), 99) ?? 0) > 0.5, "between the 9th sample and the maximum");
    assert.equal(percentileSamplingSd(new Histogram().toJSON(), 99), undefined);
  });
});
