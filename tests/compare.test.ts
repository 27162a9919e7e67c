/**
 * Comparing a result with a baseline: verdicts at the tolerance edges in
 * both directions, latency judged on the histograms' percentiles, and the
 * `wsstress compare` exit codes CI gates on.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Histogram } from "../src/model/histogram.ts";
import { compareResults, judgeChange } from "../src/analysis/baseline-comparison.ts";
import type { Result } from "../src/model/result.ts";
import { assertExit, runCli, runtime } from "./_cli.ts";
import { buildResult, sampleResult } from "./_results.ts";

describe("judgeChange", () => {
  it("higher is better: a loss of exactly the tolerance is the same, a hair more regressed", () => {
    assert.deepEqual(judgeChange("higher", 1000, 900, 10), { deltaPercent: -10, change: "same" });
    assert.equal(judgeChange("higher", 1000, 899.9, 10).change, "regressed");
    assert.equal(judgeChange("higher", 1000, 1100, 10).change, "same");
    assert.equal(judgeChange("higher", 1000, 1100.1, 10).change, "improved");
  });

  it("lower is better: a rise of exactly the tolerance is the same, a hair more regressed", () => {
    assert.equal(judgeChange("lower", 10, 11, 10).change, "same");
    assert.equal(judgeChange("lower", 10, 11.001, 10).change, "regressed");
    assert.equal(judgeChange("lower", 10, 9, 10).change, "same");
    assert.equal(judgeChange("lower", 10, 8.999, 10).change, "improved");
  });

  it("float noise at the edge does not tip a change over the tolerance", () => {
    // (0.33 − 0.3) × 100 / 0.3 is 10.000000000000009 in binary floating point
    assert.equal(judgeChange("lower", 0.3, 0.33, 10).change, "same");
  });

  it("with a zero tolerance any change counts, and no change is the same", () => {
    assert.equal(judgeChange("higher", 500, 499.99, 0).change, "regressed");
    assert.equal(judgeChange("higher", 500, 500, 0).change, "same");
  });

  it("from a zero baseline the direction decides: new errors regress, new throughput improves", () => {
    assert.deepEqual(judgeChange("lower", 0, 3, 10), { deltaPercent: null, change: "regressed" });
    assert.deepEqual(judgeChange("higher", 0, 5, 10), { deltaPercent: null, change: "improved" });
    assert.deepEqual(judgeChange("lower", 0, 0, 10), { deltaPercent: 0, change: "same" });
  });

  it("a figure with no better direction is not judged", () => {
    assert.equal(judgeChange("none", 10, 1000, 10).change, "unjudged");
  });
});

/** One level of the message suite whose RTT samples are given. */
const messageRun = (rtt: number[], roundTrips = 40_000): Result =>
  buildResult([{ name: "minimal", suites: [{ suite: "message", values: { "wire.round_trips_per_s": roundTrips, "wire.errors": 0 }, latencies: { rtt } }] }]);

describe("compareResults", () => {
  // same mean RTT (within 2 %), but the current run has a tail 10 × longer
  const baseline = messageRun(Array(1000).fill(1));
  const current = messageRun([...Array(980).fill(0.8), ...Array(20).fill(10)]);

  it("judges latency on the percentiles of the histograms, so a tail is not averaged away", () => {
    const mean = (r: Result) => Histogram.fromJSON(r.levels[0].suites[0].histograms["wire.rtt"]).mean;
    assert.ok(Math.abs(mean(current) / mean(baseline) - 1) < 0.02, "the averages agree");
    const c = compareResults(baseline, current, { tolerancePercent: 10 });
    const p99 = c.rows.find((r) => r.key === "rtt_p99_ms");
    assert.equal(p99?.change, "regressed");
    assert.equal(p99.source, "histogram");
    assert.equal(c.rows.find((r) => r.key === "rtt_p50_ms")?.change, "improved");
    assert.equal(c.rows.find((r) => r.key === "round_trips_per_s")?.change, "same");
  });

  it("takes the percentile from the histogram even when the stored figure says otherwise", () => {
    const lying = structuredClone(current);
    const m = lying.levels[0].suites[0].metrics.find((x) => x.key === "rtt_p99_ms")!;
    m.value = 1;
    const row = compareResults(baseline, lying).rows.find((r) => r.key === "rtt_p99_ms");
    assert.equal(row?.change, "regressed");
    assert.equal(row.current, Histogram.fromJSON(lying.levels[0].suites[0].histograms["wire.rtt"]).percentile(99) / 1e6);
  });

  it("compares only what both hold and names the levels only one has", () => {
    const two = sampleResult();
    const one = structuredClone(two);
    one.levels = one.levels.slice(0, 1);
    const c = compareResults(two, one);
    assert.deepEqual(c.onlyInBaseline, ["level medium"]);
    assert.deepEqual(c.onlyInCurrent, []);
    assert.ok(c.rows.every((r) => r.level === "minimal"));
    assert.equal(c.regressed, 0);
    assert.equal(c.same, c.rows.filter((r) => r.better !== "none").length);
  });
});

describe(`wsstress compare exit codes on ${runtime}`, () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-compare-"));
    const base = sampleResult();
    const worse = structuredClone(base);
    // exactly 20 % fewer round trips at medium: 27,950 → 22,360
    worse.levels[1].suites[0].metrics.find((m) => m.key === "round_trips_per_s")!.value = 22_360;
    const badCores = structuredClone(base) as unknown as { machine: { cores: number } };
    badCores.machine.cores = 0;
    const text = JSON.stringify(base, null, 2);
    writeFileSync(file("base.json"), text);
    writeFileSync(file("same.json"), text);
    writeFileSync(file("worse.json"), JSON.stringify(worse, null, 2));
    writeFileSync(file("cut.json"), text.slice(0, Math.floor(text.length * 0.6)));
    writeFileSync(file("bad.json"), JSON.stringify(badCores));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 when nothing changed", async () => {
    const run = await runCli(["compare", file("base.json"), file("same.json")]);
    assertExit(run, 0);
    assert.match(run.stdout, /✅ 0 regressed, 0 improved, \d+ the same \(tolerance 10%\)/);
  });

  it("exits 1 on a 20 % loss with the default 10 % tolerance, naming the metric, and writes the markdown", async () => {
    const run = await runCli(["compare", file("base.json"), file("worse.json"), "--markdown", file("c.md")]);
    assertExit(run, 1);
    assert.match(run.stdout, /medium +message +wire +round trips +round trips\/s +27,950 +22,360 +-20\.0% +❌ regressed/);
    assert.match(run.stdout, /❌ 1 regressed/);
    assert.match(readFileSync(file("c.md"), "utf8"), /^# wsstress compare: ❌ 1 regressed/);
  });

  it("exits 0 for the same 20 % loss when the tolerance is exactly 20 %, and 1 just below it", async () => {
    assertExit(await runCli(["compare", file("base.json"), file("worse.json"), "--tolerance", "20%"]), 0);
    assertExit(await runCli(["compare", file("base.json"), file("worse.json"), "--tolerance", "19.9"]), 1);
  });

  it("exits 2 for a file cut short, naming the file and where in it", async () => {
    const run = await runCli(["compare", file("base.json"), file("cut.json")]);
    assertExit(run, 2);
    assert.match(run.stderr, /cut\.json: cut short inside levels\.\d[\w.]* \(line \d+, column \d+\)/);
    assert.equal(run.stdout, "");
  });

  it("exits 2 for an invalid document, naming the file and the path of the bad field", async () => {
    const run = await runCli(["compare", file("bad.json"), file("base.json")]);
    assertExit(run, 2);
    assert.match(run.stderr, /bad\.json: not a valid wsstress result document:\n\s+machine\.cores: /);
  });

  it("exits 2 for a missing file and for a tolerance that is not a percentage", async () => {
    const missing = await runCli(["compare", file("base.json"), file("nope.json")]);
    assertExit(missing, 2);
    assert.match(missing.stderr, /nope\.json: cannot read it \(no such file\)/);
    const bad = await runCli(["compare", file("base.json"), file("same.json"), "--tolerance", "ten"]);
    assertExit(bad, 2);
    assert.match(bad.stderr, /^wsstress: --tolerance: "ten" is not a percentage; allowed: a percentage ≥ 0, e\.g\. 10% or 2\.5$/m);
  });

  it("exits 2 for a mistyped flag with the nearest one, and none of parseArgs' advice about --", async () => {
    const typo = await runCli(["compare", file("base.json"), file("same.json"), "--tolerence", "5%"]);
    assertExit(typo, 2);
    assert.match(typo.stderr, /^wsstress: --tolerence: unknown flag \(did you mean "--tolerance"\?\); allowed: --tolerance, .* as wsstress compare --help lists them\n$/);
    assert.doesNotMatch(typo.stderr, /positional|'--'/);
  });
});
