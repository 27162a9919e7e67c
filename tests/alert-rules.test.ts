/**
 * Prometheus alerting rules from the thresholds, checked by Prometheus's own
 * promtool (Debian's `prometheus` package, /usr/bin/promtool): the file
 * loads, and over the series `--prometheus` exports from a failing result
 * the ❌ rules fire and nothing else does, while a passing result fires none.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { alertRules, judgedByPlan, judgedByResult, renderAlertRules } from "../src/report/alert-rules.ts";
import { renderPrometheus } from "../src/report/prometheus.ts";
import { METRICS } from "../src/suites/metric-catalogue.ts";
import { type Result, SUITE_NAMES } from "../src/model/result.ts";
import { assertExit, runCli } from "./_cli.ts";
import { buildResult } from "./_results.ts";

const PROMTOOL = "/usr/bin/promtool";

function promtool(...args: string[]): { code: number | null; out: string } {
  const run = spawnSync(PROMTOOL, args, { encoding: "utf8", timeout: 60_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

/** A minimal-level message result: round trips/s and every RTT sample as given. */
const messageResult = (roundTripsPerSec: number, rttMs: number): Result =>
  buildResult([{
    name: "minimal",
    suites: [{
      suite: "message",
      values: { "wire.answered_pct": 100, "wire.round_trips_per_s": roundTripsPerSec, "wire.errors": 0 },
      latencies: { rtt: new Array(100).fill(rttMs) },
    }],
  }]);

/** The exposition's samples as promtool input series, each held for the whole test. */
function seriesOf(exposition: string): string {
  return exposition.split("\n").filter((l) => l && !l.startsWith("#")).map((line) => {
    const at = line.lastIndexOf(" ");
    return `      - series: '${line.slice(0, at)}'\n        values: '${line.slice(at + 1)}x5'`;
  }).join("\n");
}

const yamlMap = (m: Record<string, string>): string => `{ ${Object.entries(m).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")} }`;

describe("alerting rules from the thresholds", () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-alerts-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes one ❌ rule per judged metric and a ⚠️ one per band, which promtool check rules accepts", async () => {
    const run = await runCli(["alerts", "--alert-rules", file("defaults.yml")]);
    assertExit(run, 0);
    assert.equal(run.stdout, "", "written to the file, not printed");
    const judged = Object.entries(METRICS).filter(([, s]) => s.threshold || s.exact !== undefined);
    const bands = judged.filter(([, s]) => s.threshold && s.threshold.excellent !== s.threshold.good);
    const text = readFileSync(file("defaults.yml"), "utf8");
    assert.equal(text.match(/^ {6}- alert: \w+Fail$/gm)?.length, judged.length);
    assert.equal(text.match(/^ {6}- alert: \w+Warn$/gm)?.length, bands.length);
    const checked = promtool("check", "rules", file("defaults.yml"));
    assert.equal(checked.code, 0, checked.out);
    assert.match(checked.out, new RegExp(`SUCCESS: ${judged.length + bands.length} rules found`));
  });

  it("puts the bounds over the exported series: a latency in seconds of its summary's quantile, a rate as its gauge", () => {
    const rules = alertRules(judgedByPlan(["message"], { "message.wire.rtt_p99_ms": { better: "lower", excellent: 5, good: 20 } }));
    const expr = (alert: string) => rules.find((r) => r.alert === alert)?.expr;
    assert.equal(
      expr("WsstressMessageWireRttP99MsFail"),
      'wsstress_message_latency_seconds{layer="wire",op="rtt",quantile="0.99"} >= 0.02',
    );
    assert.equal(
      expr("WsstressMessageWireRttP99MsWarn"),
      '(wsstress_message_latency_seconds{layer="wire",op="rtt",quantile="0.99"} >= 0.005) < 0.02',
    );
    assert.equal(expr("WsstressMessageWireRoundTripsPerSFail"), 'wsstress_message_round_trips_per_s{layer="wire"} <= 15000');
    assert.equal(expr("WsstressMessageWireRoundTripsPerSWarn"), '(wsstress_message_round_trips_per_s{layer="wire"} > 15000) <= 40000');
    assert.equal(expr("WsstressMessageWireErrorsFail"), 'wsstress_message_errors{layer="wire"} >= 1');
    assert.equal(expr("WsstressMessageWireErrorsWarn"), undefined, "a count that must stay at zero has no ⚠️ band");
    assert.equal(expr("WsstressMessageWireAnsweredPctFail"), 'wsstress_message_answered_pct{layer="wire"} != 100');
    const rtt = rules.find((r) => r.alert === "WsstressMessageWireRttP99MsFail")!;
    assert.deepEqual(rtt.labels, {
      severity: "critical",
      verdict: "fail",
      suite: "message",
      layer: "wire",
      metric: "rtt_p99_ms",
      unit: "s",
    });
    assert.match(rtt.annotations.description, /message\.wire\.rtt_p99_ms \(RTT at load p99\) ❌ at ≥ 20 ms/);
  });

  it("fires the ❌ rules on the series of a failing result, and no rule at all on a passing one (promtool test rules)", () => {
    const failing = messageResult(10_000, 80);
    const passing = messageResult(50_000, 1);
    const rules = alertRules(judgedByPlan(SUITE_NAMES));
    writeFileSync(file("rules.yml"), renderAlertRules(rules, "the default thresholds"));
    const level = "minimal";
    // the labels a ❌ rule of the message suite's wire layer fires with: its own, then the series'
    const critical = (metric: string, unit: string, series: Record<string, string> = {}) => ({
      severity: "critical",
      verdict: "fail",
      suite: "message",
      layer: "wire",
      metric,
      unit,
      level,
      ...series,
    });
    const fired: Record<string, string> = {
      WsstressMessageWireRoundTripsPerSFail: yamlMap(critical("round_trips_per_s", "round trips/s")) +
        `\n            exp_annotations: ${
          yamlMap({
            summary: `message wire round trips (capacity) ❌ at level ${level}: 10k round trips/s`,
            description: "wsstress judges message.wire.round_trips_per_s (round trips (capacity)) ❌ at ≤ 15,000 round trips/s.",
          })
        }`,
      WsstressMessageWireRttP99MsFail: yamlMap(critical("rtt_p99_ms", "s", { op: "rtt", quantile: "0.99" })) +
        `\n            exp_annotations: ${
          yamlMap({
            summary: `message wire RTT at load p99 ❌ at level ${level}: 80ms`,
            description: "wsstress judges message.wire.rtt_p99_ms (RTT at load p99) ❌ at ≥ 50 ms.",
          })
        }`,
    };
    const test = (result: Result, expected: Record<string, string>) =>
      [
        "  - interval: 1m",
        "    input_series:",
        seriesOf(renderPrometheus(result)),
        "    alert_rule_test:",
        ...rules.map((r) =>
          `      - eval_time: 2m\n        alertname: ${r.alert}\n        exp_alerts:${
            expected[r.alert] ? `\n          - exp_labels: ${expected[r.alert]}` : " []"
          }`
        ),
      ].join("\n");
    writeFileSync(
      file("tests.yml"),
      ["rule_files: [rules.yml]", "evaluation_interval: 1m", "tests:", test(failing, fired), test(passing, {})].join("\n") + "\n",
    );
    const tested = promtool("test", "rules", file("tests.yml"));
    assert.equal(tested.code, 0, tested.out);
    assert.match(tested.out, /SUCCESS/);
  });

  it("takes a result's thresholds as it was judged by them, and refuses --threshold beside a result", async () => {
    const result = messageResult(30_000, 8);
    const rtt = result.levels[0].suites[0].metrics.find((m) => m.key === "rtt_p99_ms")!;
    rtt.threshold = { better: "lower", excellent: 2, good: 4 };
    writeFileSync(file("judged.json"), JSON.stringify(result));
    assert.deepEqual(judgedByResult(result).map((j) => j.key), ["answered_pct", "round_trips_per_s", "rtt_p99_ms", "errors"]);
    const run = await runCli(["alerts", file("judged.json")]);
    assertExit(run, 0);
    assert.match(run.stdout, /from the thresholds .*judged\.json was judged by/);
    assert.match(run.stdout, /expr: 'wsstress_message_latency_seconds\{layer="wire",op="rtt",quantile="0\.99"\} >= 0\.004'/);
    assert.doesNotMatch(run.stdout, /Engine|Broadcast/, "only what the result judged");
    const refused = await runCli(["alerts", file("judged.json"), "--threshold", "message.wire.rtt_p99_ms=5,20"]);
    assertExit(refused, 2);
    assert.match(refused.stderr, /--threshold: .*judged\.json holds the thresholds it was judged by/);
    const clash = await runCli(["alerts", file("judged.json"), "--alert-rules", file("judged.json")]);
    assertExit(clash, 2);
    assert.equal(readFileSync(file("judged.json"), "utf8"), JSON.stringify(result), "the input is untouched");
  });

  it("is written by a run with --alert-rules, from its own overrides, for its own suites", async () => {
    const run = await runCli([
      "--level",
      "minimal",
      "--suite",
      "message",
      "--quiet",
      "--threshold",
      "message.wire.rtt_p99_ms=5,20",
      "--alert-rules",
      file("run.yml"),
    ], 120_000);
    assertExit(run, 0);
    const text = readFileSync(file("run.yml"), "utf8");
    assert.match(text, /from the default thresholds with 1 override:/);
    assert.match(text, /quantile="0\.99"\} >= 0\.02'/);
    assert.doesNotMatch(text, /alert: WsstressBroadcast/);
    assert.equal(promtool("check", "rules", file("run.yml")).code, 0);
  });
});
