/**
 * A scenario's figures reach every output as the built-in suites' do: the
 * validated JSON document (and its JSON Schema), the terminal, markdown and
 * HTML reports, Prometheus (valid metric names, though a scenario's name may
 * hold a `-`), `compare`, and the degradation analysis across two levels.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { defineScenario, type Level, type Report, stress } from "../mod.ts";
import { compareResults } from "../src/analysis/baseline-comparison.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { resultJsonSchema } from "../src/model/result-json-schema.ts";
import { parseResult } from "../src/model/result.ts";
import { validate } from "./_json-schema.ts";

const runtime = detectRuntime();
const level = (name: string, connections: number): Level => ({
  name,
  operations: connections * 10,
  connections,
  messagesPerConnection: 10,
  subscribers: 1,
});

const flow = defineScenario({
  name: "report-flow",
  metrics: {
    cart_items: { kind: "counter", label: "items put in the cart", unit: "items" },
    basket_wait: { kind: "histogram", label: "basket wait", unit: "ms" },
  },
  async run(vu) {
    await vu.echo();
    vu.check("echoed", true);
    // fails on every fifth iteration, so the failure rate is known: 20 %
    vu.check("not a fifth", vu.iteration % 5 !== 0);
    vu.metric("cart_items").add(2);
    vu.metric("basket_wait").add(vu.iteration);
  },
});

describe(`a scenario's figures in every output, from ${runtime}`, () => {
  let report: Report;
  before(async () => {
    report = await stress().scenario(flow).levels(level("two", 2), level("four", 4)).warmup(false).run();
  });

  it("writes a result document that the schema and its JSON Schema accept, holding the scenario and its declarations", () => {
    const json = parseResult(JSON.parse(JSON.stringify(report.json)));
    assert.deepEqual(validate(resultJsonSchema() as Record<string, unknown>, report.json), []);
    const suites = json.levels.map((l) => l.suites.map((s) => s.suite));
    assert.deepEqual(suites, [["report-flow"], ["report-flow"]]);
    const four = json.levels[1].suites[0];
    const figure = (key: string) => four.metrics.find((m) => m.key === key)?.value;
    assert.equal(figure("cart_items"), 4 * 10 * 2);
    assert.equal(figure("checks"), 4 * 10 * 2);
    assert.equal(figure("checks_failed"), 4 * 2, "iterations 0 and 5 of each of the four virtual users");
    assert.equal(four.histograms["wire.basket_wait"].count, 40);
    assert.ok(json.plan.scenarios?.some((s) => s.name === "report-flow"), "the plan holds what judges the scenario without its module");
  });

  it("shows the scenario's own metrics, its checks and its failed ones in the terminal, markdown and HTML reports", () => {
    const terminal = report.terminal({ color: false });
    for (const text of [terminal, report.markdown(), report.html({ level: "four" })]) {
      assert.match(text, /report-flow/);
      assert.match(text, /items put in the cart/);
      assert.match(text, /basket wait/);
      assert.match(text, /checks failed/);
    }
    assert.match(terminal, /"not a fifth" 32\/40 passed/);
  });

  it("exposes it to Prometheus under valid metric names, the scenario as a label", () => {
    const text = report.prometheus();
    for (const line of text.split("\n").filter((l) => l && !l.startsWith("#"))) {
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/, line);
    }
    assert.match(text, /^wsstress_scenario_cart_items\{scenario="report-flow",level="four",layer="wire"\} 80$/m);
    assert.match(text, /^wsstress_scenario_latency_seconds_count\{scenario="report-flow",level="four",layer="wire",op="request"\} 40$/m);
    assert.match(text, /^wsstress_suite_verdict\{level="four",suite="report-flow"\} \d$/m);
  });

  it("compares the scenario's metrics with a baseline, and analyses its throughput's degradation between the levels", () => {
    const rows = compareResults(report.json, report.json).rows.filter((r) => r.suite === "report-flow");
    const change = (key: string) => rows.find((r) => r.key === key && r.level === "four")?.change;
    for (const key of ["checks_failed", "request_p99_ms", "iterations_per_s"]) assert.equal(change(key), "same", key);
    assert.equal(change("cart_items"), "unjudged", "a counter of the user's with no better side is shown, not judged");
    const degradation = report.json.analysis.degradation.filter((d) => d.suite === "report-flow");
    assert.ok(degradation.length > 0, "the scenario's throughput is analysed");
    for (const d of degradation) assert.deepEqual([d.bottomLevel, d.topLevel], ["two", "four"]);
  });
});
