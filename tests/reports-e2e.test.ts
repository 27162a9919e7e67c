/**
 * The report files of one real run (minimal level, two suites) written by
 * the CLI: the JSONL stream rebuilds exactly the same result and reports,
 * a stream cut short by a crash still gives every suite it finished, and
 * the generated JSON Schema validates the real document.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatNumber, MARKS } from "../src/report/format.ts";
import { renderHtml } from "../src/report/html.ts";
import { resultJsonSchema } from "../src/model/result-json-schema.ts";
import { VERDICT_COLORS } from "../src/report/_svg.ts";
import { parseResult, type Result } from "../src/model/result.ts";
import { validate } from "./_json-schema.ts";
import { type Inspection, inspectReport } from "./_browser.ts";
import { assertExit, type CliRun, runCli, runtime } from "./_cli.ts";
import { sampleResult } from "./_results.ts";

/** one level, two suites: a few seconds on a busy machine, bounded well below bun's --timeout */
const RUN_TIMEOUT_MS = 120_000;
const OUTPUTS = ["json", "markdown", "html", "prometheus"] as const;
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;

describe(`reports of a real run on ${runtime}`, () => {
  let dir: string;
  let run: CliRun;
  let direct: Result;
  const file = (name: string) => path.join(dir, name);
  const read = (name: string) => readFileSync(file(name), "utf8");
  const outputFlags = (prefix: string) => OUTPUTS.flatMap((o) => [`--${o}`, file(`${prefix}.${o}`)]);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-reports-"));
    run = await runCli([
      "--level",
      "minimal",
      "--suite",
      "message",
      "--suite",
      "broadcast",
      "--jsonl",
      file("run.jsonl"),
      ...outputFlags("direct"),
    ], RUN_TIMEOUT_MS);
    direct = parseResult(JSON.parse(read("direct.json")));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("the run exits 0 and writes every file asked for, keeping the progress bar off a stderr that is not a terminal", () => {
    assertExit(run, 0);
    // deno-lint-ignore no-control-regex -- an ANSI escape starts with ESC: matching it is the point
    assert.doesNotMatch(run.stderr, /▕|\x1b\[2K/);
    for (const o of OUTPUTS) assert.ok(read(`direct.${o}`).length > 0, o);
  });

  it("streams one line per finished event: run-start, warmup-end, level-start, each suite, level-end, run-end", () => {
    const types = read("run.jsonl").trimEnd().split("\n").map((l) => JSON.parse(l).type);
    assert.deepEqual(types, ["run-start", "warmup-end", "level-start", "suite-end", "suite-end", "level-end", "run-end"]);
  });

  it("wsstress report rebuilds from the stream the same result and byte-identical reports", async () => {
    const rebuilt = await runCli(["report", file("run.jsonl"), "--quiet", ...outputFlags("rebuilt")]);
    assertExit(rebuilt, 0);
    assert.equal(rebuilt.stdout, "");
    assert.deepEqual(parseResult(JSON.parse(read("rebuilt.json"))), direct);
    for (const o of OUTPUTS) assert.equal(read(`rebuilt.${o}`), read(`direct.${o}`), `${o} differs`);
  });

  it("a stream cut short mid-line by a crash still gives a partial report with the suites it finished", async () => {
    const lines = read("run.jsonl").split("\n");
    // run-start, warmup-end, level-start, the first suite, and half of the second suite's line
    writeFileSync(file("crash.jsonl"), [...lines.slice(0, 4), lines[4].slice(0, lines[4].length >> 1)].join("\n"));
    const rebuilt = await runCli(["report", file("crash.jsonl"), "--json", file("crash.json"), "--html", file("crash.html")]);
    assertExit(rebuilt, 0);
    assert.match(rebuilt.stderr, /line 5 is cut short/);
    assert.match(rebuilt.stderr, /no run-end line: the run stopped early; the report holds the 1 suites it finished/);
    const partial = parseResult(JSON.parse(read("crash.json")));
    assert.equal(partial.status, "partial");
    assert.deepEqual(partial.levels[0].suites, direct.levels[0].suites.slice(0, 1));
    assert.deepEqual(partial.warmup, direct.warmup, "the warm-up's faults are kept without a run-end line");
    assert.match(rebuilt.stdout, /Summary across levels/);
  });

  it("a bad line in the middle of a stream exits 2, naming the file, the line and the path", async () => {
    const lines = read("run.jsonl").split("\n");
    const bad = JSON.parse(lines[3]);
    bad.result.metrics[0].value = "fast";
    writeFileSync(file("bad.jsonl"), [...lines.slice(0, 3), JSON.stringify(bad), ...lines.slice(4)].join("\n"));
    const rebuilt = await runCli(["report", file("bad.jsonl")]);
    assertExit(rebuilt, 2);
    assert.match(rebuilt.stderr, /bad\.jsonl: line 4, result\.metrics\.0\.value: /);
  });

  it("wsstress schema prints the generated JSON Schema, and it validates the real result", async () => {
    const printed = await runCli(["schema"]);
    assertExit(printed, 0);
    const schema = JSON.parse(printed.stdout);
    assert.deepEqual(schema, JSON.parse(JSON.stringify(resultJsonSchema())));
    assert.deepEqual(validate(schema, JSON.parse(read("direct.json"))), []);
  });

  it("the Prometheus file holds the RTT p95 of the histogram, in seconds", () => {
    const p95 = direct.levels[0].suites[0].metrics.find((m) => m.key === "rtt_p95_ms")!.value;
    const line = read("direct.prometheus").split("\n").find((l) =>
      l.startsWith('wsstress_message_latency_seconds{quantile="0.95",level="minimal",layer="wire",op="rtt"} ')
    );
    assert.ok(line, "the message p95 sample");
    assert.ok(Math.abs(Number(line.split(" ")[1]) - p95 / 1e3) < 1e-12);
  });

  describe("the HTML report in headless Chromium", () => {
    let result: Result;
    let page: Inspection;
    let sample: Inspection;
    const metric = (level: string, suite: string, layer: string, key: string) =>
      result.levels.find((l) => l.level.name === level)?.suites.find((s) => s.suite === suite)?.metrics.find((m) =>
        m.layer === layer && m.key === key
      );

    before(async () => {
      result = direct;
      page = await inspectReport(file("direct.html"), path.join(os.tmpdir(), `wsstress-report-${runtime}.png`));
      // a real minimal run has one level, so no degradation: a two-level result built by hand shows that chart
      writeFileSync(file("sample.html"), renderHtml(sampleResult()));
      sample = await inspectReport(file("sample.html"));
    });

    it("loads with no console error and no request outside the file", () => {
      assert.deepEqual(page.problems, []);
      assert.deepEqual(sample.problems, []);
      assert.equal(page.title, `wsstress report: ${MARKS[result.verdict]} ${result.verdict}`);
    });

    it("draws every chart: throughput and latency per suite, a distribution per histogram, every mark with a size", () => {
      const count = (chart: string) => page.figures.filter((f) => f.chart === chart).length;
      assert.equal(count("throughput"), 4, "message and broadcast, wire and engine");
      assert.equal(count("latency"), 4, "message RTT, broadcast publish-to-receipt: each the closed loop's queue and the latency at load");
      assert.equal(count("distribution"), 4 * page.levels.length, "one per histogram (queued_rtt, rtt, queued_latency, latency) and level");
      for (const f of [...page.figures, ...sample.figures]) {
        const marks = f.marks.filter((m) => m.kind !== "polyline");
        assert.ok(marks.length > 0, `${f.chart} ${JSON.stringify(f.data)} has marks`);
        for (const m of marks) {
          assert.ok(m.width > 0 && m.height > 0, `${f.chart} mark ${JSON.stringify(m.data)} is drawn (${m.width}×${m.height})`);
        }
      }
    });

    it("shows the JSON's throughput figures, each dot in its verdict's color", () => {
      for (const f of page.figures.filter((x) => x.chart === "throughput")) {
        for (const m of f.marks.filter((x) => x.kind === "circle")) {
          const expected = metric(m.data.level, m.data.suite, m.data.layer, m.data.key);
          assert.ok(expected, JSON.stringify(m.data));
          assert.equal(Number(m.data.value), expected.value);
          if (expected.verdict !== "none") {
            assert.equal(m.fill, rgb(VERDICT_COLORS[expected.verdict]), `${expected.key} is ${expected.verdict}`);
          }
        }
        assert.deepEqual(
          f.printed.map((p) => p.text),
          f.marks.filter((x) => x.kind === "circle").map((m) => formatNumber(Number(m.data.value))),
        );
      }
    });

    it("shows the JSON's latency percentiles in the charts, their tables and the distributions' keys", () => {
      for (const f of page.figures.filter((x) => x.chart === "latency" || x.chart === "distribution")) {
        const { suite, histogram } = f.data;
        const shown = [...f.marks.filter((m) => m.data.quantile), ...f.printed.filter((p) => p.data.quantile)];
        assert.ok(shown.length >= 3, `${f.chart} ${suite} shows p50, p95, p99`);
        for (const item of shown) {
          const expected = metric(item.data.level ?? f.data.level, suite, "wire", `${histogram}_${item.data.quantile}_ms`);
          assert.ok(expected, `${f.chart} ${suite} ${histogram} ${item.data.quantile}`);
          assert.equal(Number(item.data.value), expected.value);
          if ("text" in item) {
            assert.ok(item.text.includes(formatNumber(expected.value)), `"${item.text}" shows ${formatNumber(expected.value)}`);
          }
        }
        if (f.chart === "distribution") {
          const total = f.marks.reduce((n, m) => n + Number(m.data.count ?? 0), 0);
          const level = result.levels.find((l) => l.level.name === f.data.level)!;
          assert.equal(
            total,
            level.suites.find((s) => s.suite === suite)!.histograms[`wire.${histogram}`].count,
            "every sample is in a bar",
          );
        }
      }
    });

    it("draws the degradation of a two-level result, one bar per metric in its band's color", () => {
      const figure = sample.figures.find((f) => f.chart === "degradation");
      assert.ok(figure);
      const expected = sampleResult().analysis.degradation;
      assert.equal(figure.marks.length, expected.length);
      for (const [i, d] of expected.entries()) {
        assert.equal(Number(figure.marks[i].data.value), d.percent);
        assert.equal(figure.marks[i].fill, rgb(VERDICT_COLORS[d.verdict]));
      }
    });
  });
});
