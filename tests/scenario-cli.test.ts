/**
 * `--scenario FILE` as a user runs it: a check that fails on purpose is
 * counted exactly and fails the run under `--fail-on fail` (and a threshold
 * on the rate of failed checks judges it instead); a module that throws as
 * it loads, one that exports no scenario, and a threshold naming a metric
 * the scenario does not have are bad input, exit 2 with one clear line.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertExit, runCli, runCliResult, runtime } from "./_cli.ts";
import type { SuiteResult } from "../src/model/result.ts";

const ODD = "tests/fixtures/scenario-odd-check.ts";
const wire = (s: SuiteResult, key: string): number | undefined => s.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;

describe(`wsstress --scenario with a check that fails on purpose, on ${runtime}`, () => {
  it("counts each failure exactly, and exits 1 under --fail-on fail", async () => {
    const { run, result } = await runCliResult(["--scenario", ODD, "--level", "minimal", "--fail-on", "fail"]);
    assertExit(run, 1);
    assert.deepEqual(result.plan.suites, [], "a run of scenarios runs them alone");
    assert.equal(result.schemaVersion, 2);
    const [suite] = result.levels[0].suites;
    assert.equal(suite.suite, "odd-check");
    assert.equal(wire(suite, "checks"), 1000);
    assert.equal(wire(suite, "checks_failed"), 500);
    assert.equal(wire(suite, "checks_failed_pct"), 50);
    assert.equal(suite.metrics.find((m) => m.key === "checks_failed")?.verdict, "fail");
    assert.ok(suite.notes.includes('checks: "even iteration" 500/1,000 passed (500 failed)'), suite.notes.join("\n"));
    assert.equal(result.verdict, "fail");
    assert.match(run.stdout, /wire\s+checks failed\s+500\s+❌/);
    assert.match(run.stdout, /warm-up\s+❌ faults judged with the run: odd-check checks failed × 8 /, "the warm-up's checks failed too");
  });

  it("judges the checks by a threshold on their failure rate when one is given, and exits 0 within it", async () => {
    // a loose bound on round trips: this asserts the checks' verdict, whatever a busy machine does to latency
    const loose = ["--threshold", "odd-check.wire.request_p99_ms=60000,60000"];
    const { run, result } = await runCliResult(
      ["--scenario", ODD, "--level", "minimal", "--fail-on", "fail", "--threshold", "odd-check.wire.checks_failed_pct=55,60", ...loose],
    );
    assertExit(run, 0);
    const [suite] = result.levels[0].suites;
    assert.equal(suite.metrics.find((m) => m.key === "checks_failed")?.verdict, "none");
    assert.deepEqual(suite.metrics.find((m) => m.key === "checks_failed_pct")?.threshold, { better: "lower", excellent: 55, good: 60 });
    assert.equal(suite.verdict, "pass");
  });
});

describe(`wsstress --scenario with bad input, on ${runtime}`, () => {
  it("refuses a module that throws as it loads, exit 2, naming the module and the error", async () => {
    const run = await runCli(["--scenario", "tests/fixtures/scenario-broken-module.ts", "--level", "minimal"]);
    assertExit(run, 2);
    assert.match(run.stderr, /^wsstress: scenario module \S+scenario-broken-module\.ts could not be loaded: broken on purpose$/m);
  });

  it("refuses a module whose export is not a scenario, with what is wrong in the formatter's words", async () => {
    const run = await runCli(["--scenario", "tests/fixtures/json-echo-profile.ts", "--level", "minimal"]);
    assertExit(run, 2);
    assert.match(
      run.stderr,
      /scenario module \S+json-echo-profile\.ts: defineScenario\("json-echo"\): run: undefined is not a function; allowed: async run\(vu\)/,
    );
  });

  it("refuses a threshold on a metric the scenario does not emit, naming the nearest it does", async () => {
    const run = await runCli(["--scenario", ODD, "--level", "minimal", "--threshold", "odd-check.wire.checks_faild_pct=1,5"]);
    assertExit(run, 2);
    assert.match(
      run.stderr,
      /unknown metric id "odd-check\.wire\.checks_faild_pct" \(did you mean "odd-check\.wire\.checks_failed_pct"\?\)/,
    );
  });

  it("refuses a threshold on a scenario the run does not have", async () => {
    const run = await runCli(["--scenario", ODD, "--level", "minimal", "--threshold", "chat.wire.errors=1,1"]);
    assertExit(run, 2);
    assert.match(run.stderr, /thresholds\["chat\.wire\.errors"\]: names no scenario of this run \(odd-check\)/);
  });
});
