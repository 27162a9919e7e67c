/**
 * Comparing results with a baseline: one run of each under the default
 * noise model, several of each under the rank test, latency judged on the
 * histograms' percentiles, single samples never gating by default,
 * tolerances per metric, the comparison document against its schema, and
 * the `wsstress compare` exit codes CI gates on.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Histogram } from "../src/model/histogram.ts";
import { compareResults } from "../src/analysis/baseline-comparison.ts";
import { parseComparison } from "../src/model/comparison-document.ts";
import { comparisonJsonSchema } from "../src/model/result-json-schema.ts";
import { validate } from "./_json-schema.ts";
import { renderComparisonHtml } from "../src/report/comparison-html.ts";
import { renderComparisonMarkdown } from "../src/report/comparison-render.ts";
import type { Result } from "../src/model/result.ts";
import { assertExit, runCli, runtime } from "./_cli.ts";
import { buildResult, sampleResult, spread } from "./_results.ts";

/** One level of the message suite whose RTT samples are given. */
const messageRun = (rtt: number[], roundTrips = 40_000): Result =>
  buildResult([{
    name: "minimal",
    suites: [{ suite: "message", values: { "wire.round_trips_per_s": roundTrips, "wire.errors": 0 }, latencies: { rtt } }],
  }]);

/** `count` runs of the message suite around `roundTrips` with a ±2 % spread, RTTs around `rttMs`, each from its own seed. */
const runs = (count: number, roundTrips: number, rttMs: number, firstSeed = 1): Result[] =>
  Array.from(
    { length: count },
    (_, i) => messageRun(spread(2_000, rttMs * (1 + ((i % 3) - 1) * 0.02), firstSeed + i), roundTrips * (1 + ((i % 3) - 1) * 0.02)),
  );

const rowOf = (c: ReturnType<typeof compareResults>, key: string) => c.rows.find((r) => r.key === key)!;

describe("compareResults with one run of each", () => {
  // the same mean RTT (within 2 %), but the current run has a tail 10 × longer: past what one stall does to a p99 (×8)
  const baseline = messageRun(Array(1000).fill(1));
  const current = messageRun([...Array(980).fill(0.82), ...Array(20).fill(10)]);

  it("judges latency on the percentiles of the histograms, so a tail is not averaged away", () => {
    const mean = (r: Result) => Histogram.fromJSON(r.levels[0].suites[0].histograms["wire.rtt"]).mean;
    assert.ok(Math.abs(mean(current) / mean(baseline) - 1) < 0.02, "the averages agree");
    const c = compareResults(baseline, current);
    assert.equal(rowOf(c, "rtt_p99_ms").change, "regressed");
    assert.equal(rowOf(c, "rtt_p99_ms").source, "histogram");
    assert.equal(rowOf(c, "rtt_p50_ms").change, "same", "an 18 % gain in one run of each is within the assumed noise");
    assert.equal(rowOf(c, "round_trips_per_s").change, "same");
  });

  it("takes the percentile from the histogram even when the stored figure says otherwise", () => {
    const lying = structuredClone(current);
    lying.levels[0].suites[0].metrics.find((x) => x.key === "rtt_p99_ms")!.value = 1;
    const row = rowOf(compareResults(baseline, lying), "rtt_p99_ms");
    assert.equal(row.change, "regressed");
    assert.equal(row.current, Histogram.fromJSON(lying.levels[0].suites[0].histograms["wire.rtt"]).percentile(99) / 1e6);
  });

  it("uses the stated default noise model, and says what one run of each cannot tell", () => {
    const c = compareResults(messageRun(spread(1_000, 1), 40_000), messageRun(spread(1_000, 1), 32_000));
    const row = rowOf(c, "round_trips_per_s");
    assert.equal(row.call.method, "noise-model");
    assert.equal(row.change, "same", "20 % fewer round trips in one run of each is within ±20 % a run");
    assert.deepEqual([c.rule.assumedNoisePercent, c.rule.assumedTailNoisePercent, c.rule.assumedEngineNoisePercent], [20, 110, 40]);
    assert.match(
      c.unknowns[0],
      /^1 baseline run and 1 current run are too few for the rank test .* a change smaller than about \+82 % or −46 % \(a p95 or deeper: \+\d+ % or −\d+ %; an engine-layer figure: \+\d+ % or −\d+ %\) cannot be told/,
    );
    assert.equal(
      rowOf(compareResults(messageRun([1]), messageRun([1], 12_000)), "round_trips_per_s").change,
      "regressed",
      "a 70 % loss is beyond it",
    );
  });

  it("never calls a max by default, and does when a tolerance names it", () => {
    const tail = messageRun([...Array(999).fill(1), 50]);
    const c = compareResults(messageRun(Array(1000).fill(1)), tail);
    assert.equal(rowOf(c, "rtt_max_ms").change, "not-gated");
    assert.equal(c.notGated, 1);
    assert.equal(c.regressed, 0);
    const named = compareResults(messageRun(Array(1000).fill(1)), tail, { tolerances: { "message.wire.rtt_max_ms": 20 } });
    assert.equal(rowOf(named, "rtt_max_ms").change, "regressed");
    assert.equal(rowOf(named, "rtt_max_ms").call.tolerancePercent, 20);
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
  });

  it("refuses results with no metric in common, and a tolerance that names no metric there, through the input formatter", () => {
    const other = buildResult([{ name: "light", suites: [{ suite: "broadcast", values: { "wire.deliveries_per_s": 5 } }] }]);
    assert.throws(
      () => compareResults(messageRun([1]), other),
      /^RangeError: compare: the baseline and the current results have no metric in common; .*minimal message; the current light broadcast/,
    );
    assert.throws(
      () => compareResults(messageRun([1]), messageRun([1]), { tolerances: { "message.wire.rtt_p99_s": 5 } }),
      /^RangeError: tolerance message\.wire\.rtt_p99_s: names no metric there is to compare \(did you mean "message\.wire\.rtt_p99_ms"\?\)/,
    );
  });
});

describe("compareResults across schema 3, which split capacity from latency at load", () => {
  // schema 2 measured latency in the closed loop only: its rtt is the queue, what 3 calls queued_rtt
  const closedLoop = spread(2_000, 12);
  const older = structuredClone(
    buildResult([{
      name: "minimal",
      suites: [
        { suite: "message", values: { "wire.round_trips_per_s": 40_000 }, latencies: { rtt: closedLoop } },
        { suite: "permission", values: { "wire.wrong_allows": 0 }, latencies: { deny: spread(400, 9), allow: spread(600, 9) } },
      ],
    }]),
  );
  older.schemaVersion = 2;
  const newer = buildResult([{
    name: "minimal",
    suites: [
      { suite: "message", values: { "wire.round_trips_per_s": 40_000 }, latencies: { queued_rtt: closedLoop, rtt: spread(2_000, 0.3) } },
      { suite: "permission", values: { "wire.wrong_allows": 0 }, latencies: { deny: spread(400, 0.3), allow: spread(600, 0.3) } },
    ],
  }]);

  it("compares the older closed-loop latency with the newer closed-loop latency, never with the latency at load", () => {
    for (const [a, b] of [[older, newer], [newer, older]]) {
      const c = compareResults(a, b);
      assert.equal(rowOf(c, "queued_rtt_p99_ms").change, "unjudged", "a queue is shown, never judged");
      assert.equal(rowOf(c, "queued_rtt_p99_ms").baseline, rowOf(c, "queued_rtt_p99_ms").current);
      assert.equal(c.rows.find((r) => r.key === "rtt_p99_ms"), undefined, "40 × lower at load is no improvement of the queue");
      assert.deepEqual(c.rows.filter((r) => /^(deny|allow)_/.test(r.key)), [], "the older deny/allow have no counterpart");
      assert.equal(c.improved + c.regressed, 0);
      assert.ok(c.caveats.some((x) => /schema 2 then 3|schema 3 then 2/.test(x) && /queued_\*/.test(x)), c.caveats.join("\n"));
    }
  });

  it("reads results of one schema as they are", () => {
    const c = compareResults(older, structuredClone(older));
    assert.equal(rowOf(c, "rtt_p99_ms").change, "same");
    assert.equal(c.rows.filter((r) => /^(deny|allow)_p99/.test(r.key)).length, 2);
    assert.ok(!c.caveats.some((x) => /schema/.test(x)));
  });
});

describe("compareResults with several runs of each", () => {
  it("calls a 20 % loss of round trips by the rank test over 4 runs of each, and nothing on 4 unchanged ones", () => {
    const base = runs(4, 30_000, 2, 1);
    const loss = compareResults(base, runs(4, 24_000, 2, 11));
    const row = rowOf(loss, "round_trips_per_s");
    assert.equal(row.call.method, "rank-test");
    assert.equal(row.change, "regressed");
    assert.deepEqual(row.baselineRuns.length, 4);
    assert.ok(row.call.interval![1] < -10 && row.call.interval![0] > -25, JSON.stringify(row.call.interval));
    assert.equal(row.call.pValue, 2 / 70);
    assert.deepEqual(loss.unknowns, []);
    const same = compareResults(base, runs(4, 30_000, 2, 21));
    assert.equal(same.regressed + same.improved, 0, JSON.stringify(same.rows.filter((r) => r.change !== "same")));
  });

  it("holds the rule, the spread, the p-value, the interval and the call per metric in a document its schema accepts", () => {
    const c = parseComparison(JSON.parse(JSON.stringify(compareResults(runs(5, 30_000, 2), runs(5, 24_000, 2, 9)))));
    assert.equal(c.kind, "wsstress-comparison");
    assert.equal(c.rule.test, "mann-whitney-u");
    assert.equal(c.rule.confidence, 0.95);
    const row = c.rows.find((r) => r.key === "round_trips_per_s")!;
    assert.ok(row.call.noisePercent! > 0 && row.call.noisePercent! < 5, String(row.call.noisePercent));
    assert.ok(row.call.confidence! > 0.95);
    const html = renderComparisonHtml(c);
    assert.match(html, /<tr data-id="minimal\.message\.wire\.round_trips_per_s" data-change="regressed">/);
    assert.match(html, /<rect [^>]*data-lo="-2\d\.\d+" data-hi="-1\d\.\d+"/);
    assert.match(renderComparisonMarkdown(c), /^# wsstress compare: 5 baseline runs → 5 current runs: ❌ 1 regressed, 0 improved/);
    assert.deepEqual(validate(comparisonJsonSchema() as Record<string, unknown>, JSON.parse(JSON.stringify(c))), []);
  });
});

describe(`wsstress compare on ${runtime}`, () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-compare-"));
    const write = (name: string, r: Result) => writeFileSync(file(name), JSON.stringify(r, null, 2));
    runs(4, 30_000, 2, 1).forEach((r, i) => write(`base${i + 1}.json`, r));
    runs(4, 24_000, 2, 11).forEach((r, i) => write(`slow${i + 1}.json`, r));
    runs(4, 30_000, 2, 21).forEach((r, i) => write(`same${i + 1}.json`, r));
    const text = readFileSync(file("base1.json"), "utf8");
    writeFileSync(file("cut.json"), text.slice(0, Math.floor(text.length * 0.6)));
    const badCores = JSON.parse(text);
    badCores.machine.cores = 0;
    writeFileSync(file("bad.json"), JSON.stringify(badCores));
    write("other.json", buildResult([{ name: "light", suites: [{ suite: "broadcast", values: { "wire.deliveries_per_s": 5 } }] }]));
    write("halved.json", runs(1, 12_000, 2, 31)[0]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const sides = (
    a: string,
    b: string,
  ) => [...[1, 2, 3, 4].map((i) => file(`${a}${i}.json`)), "--", ...[1, 2, 3, 4].map((i) => file(`${b}${i}.json`))];

  it("takes several baselines and current runs around --, exits 1 on a 20 % loss and writes the document", async () => {
    const run = await runCli(["compare", ...sides("base", "slow"), "--json", file("c.json"), "--markdown", file("c.md")]);
    assertExit(run, 1);
    assert.match(run.stdout, /^wsstress compare: 4 baseline runs → 4 current runs/);
    assert.match(
      run.stdout,
      /minimal +message +wire +round trips \(capacity\) +round trips\/s +29,700 \(4\) +23,760 \(4\) +±1\.9% +-20\.0% +-2\d\.\d% … -1\d\.\d% +0\.029 +❌/,
    );
    assert.match(run.stdout, /❌ 1 regressed, 0 improved, \d+ the same, 1 not gated \(tolerance 10%; rank test over 4 \+ 4 runs\)/);
    assert.equal(parseComparison(JSON.parse(readFileSync(file("c.json"), "utf8"))).regressed, 1);
    assert.match(readFileSync(file("c.md"), "utf8"), /^# wsstress compare: 4 baseline runs → 4 current runs: ❌ 1 regressed/);
  });

  it("exits 0 on unchanged runs, and takes flags on either side of --", async () => {
    const run = await runCli(["compare", "--no-color", ...sides("base", "same"), "--tolerance", "10%"]);
    assertExit(run, 0);
    assert.match(run.stdout, /✅ 0 regressed, 0 improved/);
  });

  it("exits 0 for the 20 % loss when the round trips' own tolerance is 25 %", async () => {
    assertExit(await runCli(["compare", ...sides("base", "slow"), "--tolerance", "message.wire.round_trips_per_s=25%"]), 0);
  });

  it("with one of each, exits 1 only past the default noise model, and says what it cannot know", async () => {
    const one = await runCli(["compare", file("base1.json"), file("slow1.json")]);
    assertExit(one, 0);
    assert.match(one.stdout, /Cannot know: 1 baseline run and 1 current run are too few for the rank test/);
    assert.match(one.stdout, /default noise model, 1 \+ 1 run\)/);
    assertExit(await runCli(["compare", file("base1.json"), file("halved.json")]), 1);
  });

  it("exits 2 for results with nothing in common, in one line through the input formatter", async () => {
    const run = await runCli(["compare", file("base1.json"), file("other.json")]);
    assertExit(run, 2);
    assert.match(
      run.stderr,
      /^wsstress: compare: the baseline and the current results have no metric in common; allowed: results of one plan/,
    );
    assert.equal(run.stderr.trim().split("\n").length, 1);
  });

  it("exits 2 for a file given twice, three files without --, and an empty side", async () => {
    const twice = await runCli(["compare", file("base1.json"), file("base2.json"), "--", file("base1.json")]);
    assertExit(twice, 2);
    assert.match(twice.stderr, /base1\.json is given twice; allowed: each run once/);
    const three = await runCli(["compare", file("base1.json"), file("base2.json"), file("slow1.json")]);
    assertExit(three, 2);
    assert.match(
      three.stderr,
      /3 files and no -- between the baselines and the current runs; allowed: BASELINE\.json CURRENT\.json, or B1\.json … -- C1\.json …/,
    );
    assertExit(await runCli(["compare", file("base1.json"), "--"]), 2);
  });

  it("exits 2 for a file cut short, naming the file and where in it", async () => {
    const run = await runCli(["compare", file("base1.json"), file("cut.json")]);
    assertExit(run, 2);
    assert.match(run.stderr, /cut\.json: cut short inside levels\.\d[\w.]* \(line \d+, column \d+\)/);
    assert.equal(run.stdout, "");
  });

  it("exits 2 for an invalid document, naming the file and the path of the bad field", async () => {
    const run = await runCli(["compare", file("bad.json"), file("base1.json")]);
    assertExit(run, 2);
    assert.match(run.stderr, /bad\.json: not a valid wsstress result document:\n\s+machine\.cores: /);
  });

  it("exits 2 for a missing file and for a tolerance that is not one", async () => {
    const missing = await runCli(["compare", file("base1.json"), file("nope.json")]);
    assertExit(missing, 2);
    assert.match(missing.stderr, /nope\.json: cannot read it \(no such file\)/);
    const bad = await runCli(["compare", file("base1.json"), file("same1.json"), "--tolerance", "ten"]);
    assertExit(bad, 2);
    assert.match(
      bad.stderr,
      /^wsstress: --tolerance: "ten" is not a tolerance; allowed: a percentage ≥ 0 for every metric \(10% or 2\.5\), or METRIC=P for one/m,
    );
  });

  it("exits 2 for a mistyped flag with the nearest one, and none of parseArgs' advice about --", async () => {
    const typo = await runCli(["compare", file("base1.json"), file("same1.json"), "--tolerence", "5%"]);
    assertExit(typo, 2);
    assert.match(
      typo.stderr,
      /^wsstress: --tolerence: unknown flag \(did you mean "--tolerance"\?\); allowed: --tolerance, .* as wsstress compare --help lists/,
    );
    assert.doesNotMatch(typo.stderr, /positional|'--'/);
  });
});
