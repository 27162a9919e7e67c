import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { levelVerdict, overallVerdict, suiteVerdict } from "../src/analysis/verdicts.ts";
import { analyze } from "../src/report/analysis-section.ts";
import { levelByName } from "../src/model/levels.ts";
import { makeMetric } from "../src/suites/metric-catalogue.ts";
import {
  type ErrorCount,
  type LevelResult,
  parseResult,
  type Result,
  SCHEMA_VERSION,
  type SuiteName,
  type SuiteResult,
} from "../src/model/result.ts";
import { displayWidth } from "../src/report/_table.ts";
import { formatBytes, formatDuration, formatNumber, formatValue } from "../src/report/format.ts";
import { renderMarkdown } from "../src/report/markdown.ts";
import { renderTerminal } from "../src/report/terminal.ts";

type Values = Record<string, number>;

function suite(name: SuiteName, values: Values, extra: { errors?: ErrorCount[]; notes?: string[] } = {}): SuiteResult {
  const s: SuiteResult = {
    suite: name,
    status: "ok",
    durationMs: 850,
    metrics: Object.entries(values).map(([key, value]) => makeMetric(`${name}.${key}`, value)),
    histograms: {},
    errors: extra.errors ?? [],
    notes: extra.notes ?? [],
    verdict: "none",
  };
  return { ...s, verdict: suiteVerdict(s) };
}

function level(name: "minimal" | "medium", startedAt: string, suites: SuiteResult[]): LevelResult {
  const l: LevelResult = { level: levelByName(name), startedAt, durationMs: 4_210, suites, verdict: "none" };
  return { ...l, verdict: levelVerdict(l) };
}

/** Two levels, four suites; medium shows a warning latency, a degraded throughput and lost deliveries. */
function fixture(): Result {
  const levels = [
    level("minimal", "2025-06-02T09:00:00.000Z", [
      suite("connection", {
        "wire.handshakes_per_s": 3912.4,
        "wire.handshake_p95_ms": 2.1,
        "wire.handshake_p99_ms": 3.8,
        "wire.failures": 0,
        "wire.peak_sockets": 10,
        "engine.register_ops_per_s": 812_345,
      }),
      suite("message", {
        "wire.round_trips_per_s": 48_213.7,
        "wire.rtt_p50_ms": 0.41,
        "wire.rtt_p95_ms": 0.92,
        "wire.rtt_p99_ms": 1.87,
        "wire.errors": 0,
        "engine.ops_per_s": 131_520,
        "engine.p95_us": 9.86,
      }, { notes: ["closed loop, window 16 per connection"] }),
      suite("broadcast", {
        "wire.deliveries_per_s": 212_004,
        "wire.latency_p95_ms": 3.1,
        "wire.latency_p99_ms": 5.4,
        "wire.lost": 0,
        "wire.duplicated": 0,
        "wire.out_of_order": 0,
        "engine.deliveries_per_s": 5_424_906,
      }),
      suite("permission", {
        "wire.decisions_per_s": 31_200,
        "wire.deny_p99_ms": 1.2,
        "wire.wrong_allows": 0,
        "wire.wrong_denies": 0,
        "engine.checks_per_s": 511_245,
      }),
    ]),
    level("medium", "2025-06-02T09:00:04.300Z", [
      suite("connection", {
        "wire.handshakes_per_s": 3120,
        "wire.handshake_p95_ms": 18.6,
        "wire.handshake_p99_ms": 41.7,
        "wire.failures": 0,
        "wire.peak_sockets": 1000,
        "engine.register_ops_per_s": 681_099,
      }),
      suite("message", {
        "wire.round_trips_per_s": 27_950,
        "wire.rtt_p50_ms": 4.2,
        "wire.rtt_p95_ms": 11.8,
        "wire.rtt_p99_ms": 23.4,
        "wire.errors": 0,
        "engine.ops_per_s": 127_894,
        "engine.p95_us": 9.18,
      }, { notes: ["closed loop, window 16 per connection"] }),
      suite("broadcast", {
        "wire.deliveries_per_s": 1_480_310,
        "wire.latency_p95_ms": 21.5,
        "wire.latency_p99_ms": 38.2,
        "wire.lost": 3,
        "wire.duplicated": 0,
        "wire.out_of_order": 0,
        "engine.deliveries_per_s": 103_493_206,
      }, {
        errors: [{ class: "lost", count: 3, message: "subscriber 57 missed seq 18211 on bench.0" }],
      }),
      suite("permission", {
        "wire.decisions_per_s": 29_804,
        "wire.deny_p99_ms": 2.3,
        "wire.wrong_allows": 0,
        "wire.wrong_denies": 0,
        "engine.checks_per_s": 541_006,
      }),
    ]),
  ];
  return parseResult({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "wsstress", version: "0.1.0" },
    runtime: { name: "node", version: "24.21.0" },
    machine: { os: "linux", arch: "x64", cpuModel: "AMD EPYC 7B13", cores: 8, memoryBytes: 33_605_595_136 },
    server: { url: "ws://127.0.0.1:40321/", runtime: "node", embedded: true, perMessageDeflate: true },
    plan: {
      levels: levels.map((l) => l.level),
      suites: ["connection", "message", "broadcast", "permission"],
      thresholds: {},
      window: 16,
      timeoutMs: 5000,
      warmup: true,
    },
    startedAt: "2025-06-02T09:00:00.000Z",
    finishedAt: "2025-06-02T09:00:08.520Z",
    durationMs: 8_520,
    status: "complete",
    levels,
    analysis: analyze(levels),
    verdict: overallVerdict(levels),
  });
}

const plain = renderTerminal(fixture(), { color: false });
const section = (text: string, from: string, to?: string) => text.slice(text.indexOf(from), to ? text.indexOf(to) : undefined);

describe("format", () => {
  it("formatNumber groups thousands and picks a precision by magnitude", () => {
    assert.equal(formatNumber(48_213.7), "48,214");
    assert.equal(formatNumber(103_493_206), "103,493,206");
    assert.equal(formatNumber(123.45), "123.5");
    assert.equal(formatNumber(9.864), "9.86");
    assert.equal(formatNumber(0.01234), "0.0123");
    assert.equal(formatNumber(-5), "-5");
    assert.equal(formatNumber(0), "0");
  });

  it("formatValue attaches units, percent without a space and counts bare", () => {
    assert.equal(formatValue(48_213.7, "round trips/s"), "48,214 round trips/s");
    assert.equal(formatValue(97.14, "%"), "97.1%");
    assert.equal(formatValue(3, ""), "3");
    assert.equal(formatValue(4300, "B"), "4.2 KiB");
  });

  it("formatBytes and formatDuration read like a person would write them", () => {
    assert.equal(formatBytes(33_605_595_136), "31.3 GiB");
    assert.equal(formatDuration(850), "850 ms");
    assert.equal(formatDuration(8_520), "8.5 s");
    assert.equal(formatDuration(125_000), "2 min 05 s");
  });

  it("displayWidth counts every verdict mark as two columns and ANSI as none", () => {
    assert.equal(displayWidth("✅"), 2);
    assert.equal(displayWidth("⚠️"), 2);
    assert.equal(displayWidth("❌"), 2);
    assert.equal(displayWidth("·"), 1);
    assert.equal(displayWidth("\x1b[33m⚠️\x1b[39m ok"), 5);
  });
});

describe("renderTerminal", () => {
  it("renders every section in order", () => {
    const order = [
      "wsstress 0.1.0",
      "Level 1/2: minimal",
      "Level 2/2: medium",
      "Summary across levels",
      "Degradation analysis (minimal → medium)",
      "Bottleneck:",
      "Recommendations",
    ];
    const positions = order.map((s) => plain.indexOf(s));
    assert.ok(positions.every((p) => p >= 0), `missing one of ${order.join(", ")}`);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions);
  });

  it("shows formatted figures with units, thresholds and verdict marks", () => {
    const medium = section(plain, "Level 2/2: medium", "Summary across levels");
    assert.match(medium, /round trips \(capacity\)\s+27,950\s+round trips\/s\s+⚠️\s+> 40,000 \/ > 15,000/);
    assert.match(medium, /RTT at load p99\s+23.4\s+ms\s+⚠️/);
    assert.match(medium, /lost deliveries\s+3\s+❌\s+< 1/);
    assert.match(medium, /fan-out deliveries\s+103,493,206\s+deliveries\/s\s+✅/);
    assert.match(medium, /peak live sockets\s+1,000\s+sockets\s+·/);
  });

  it("puts a suite's errors and notes under its rows", () => {
    const medium = section(plain, "Level 2/2: medium", "Summary across levels");
    assert.ok(medium.indexOf("↳ error lost × 3: subscriber 57 missed seq 18211") > medium.indexOf("out-of-order deliveries"));
    assert.ok(medium.indexOf("↳ error lost") < medium.indexOf("permission"));
    assert.match(medium, /↳ note: closed loop, window 16 per connection/);
  });

  it("summarises the headline metrics per level, aligned by display width", () => {
    const summary = section(plain, "Summary across levels", "Degradation analysis");
    assert.match(summary, /round trips \(capacity\)\s+round trips\/s\s+48,214 ✅\s+27,950 ⚠️/);
    assert.match(summary, /level verdict\s+⚠️\s+❌/);
    const rows = summary.split("\n").filter((l) => /\d [✅⚠❌·]\uFE0F?\s*$/.test(l));
    assert.ok(rows.length >= 10);
    // strip the last mark: the figures before it must end at the same column
    const ends = rows.map((l) => displayWidth(l.replace(/ [✅⚠❌·]\uFE0F?\s*$/, "")));
    assert.equal(new Set(ends).size, 1, "right-aligned level columns end at the same column");
  });

  it("analyses degradation with percent, band and the bottleneck", () => {
    const analysis = section(plain, "Degradation analysis", "Recommendations");
    assert.match(analysis, /round trips \(capacity\)\s+round trips\/s\s+48,214\s+27,950\s+42.0%\s+❌/);
    assert.match(analysis, /handshakes\s+handshakes\/s\s+3,912\s+3,120\s+20.3%\s+⚠️/);
    assert.match(analysis, /register\/unregister\s+ops\/s\s+812,345\s+681,099\s+16.2%\s+⚠️/);
    // the echo and the RBAC check are the same work at every level: shown at each level, never a trend
    assert.doesNotMatch(analysis, /parse \+ validate \+ route|RBAC checks/);
    // the line wraps at 100 columns: compare it unwrapped
    assert.match(
      analysis.replace(/\s+/g, " "),
      /Bottleneck: message wire round trips \(capacity\) degrades most \(42.0% from minimal to medium\); the seed's guide files it under CPU\/JSON processing/,
    );
  });

  it("lists recommendations with their severity marks", () => {
    const recs = section(plain, "Recommendations");
    assert.match(recs, /❌ broadcast.wire.lost = 3 at medium/);
    assert.match(recs, /Poor scalability from minimal to medium/);
    assert.match(recs, /✅ Highest level run: medium/);
  });

  it("writes no ANSI escape without color, and colors verdicts with it", () => {
    // deno-lint-ignore no-control-regex -- an ANSI escape starts with ESC: matching it is the point
    assert.doesNotMatch(plain, /\x1b\[/);
    const colored = renderTerminal(fixture(), { color: true });
    assert.ok(colored.includes("\x1b[33m⚠️\x1b[39m"));
    assert.ok(colored.includes("\x1b[31m❌\x1b[39m"));
    assert.ok(colored.includes("\x1b[32m✅\x1b[39m"));
    assert.ok(colored.includes("\x1b[2mms\x1b[22m"), "units are dim");
    // deno-lint-ignore no-control-regex -- an ANSI escape starts with ESC: matching it is the point
    assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ""), plain, "color changes nothing but color");
  });
});

describe("renderMarkdown", () => {
  const md = renderMarkdown(fixture());

  it("opens with the verdict and the run info", () => {
    assert.ok(md.startsWith("# wsstress report: ❌ fail\n"));
    assert.match(md, /\| tool +\| wsstress 0.1.0 +\|/);
    assert.match(md, /\| runtime +\| node 24.21.0 +\|/);
    assert.match(md, /\| machine +\| linux x64 · AMD EPYC 7B13 · 8 cores · 31.3 GiB +\|/);
    assert.match(md, /\| server +\| `ws:\/\/127.0.0.1:40321\/` · embedded node server · permessage-deflate on +\|/);
    assert.match(md, /\| duration +\| 8.5 s +\|/);
    assert.match(md, /\| status +\| complete +\|/);
  });

  it("has a table per suite per level, the summary, degradation and recommendations", () => {
    for (
      const heading of [
        "## Level minimal ⚠️",
        "## Level medium ❌",
        "### broadcast ❌",
        "## Summary across levels",
        "## Degradation analysis",
        "## Recommendations",
        "## Errors",
      ]
    ) {
      assert.ok(md.includes(heading), heading);
    }
    assert.match(md, /\| wire +\| round trips \(capacity\) +\| +27,950 \| round trips\/s \| ⚠️ +\| > 40,000 \/ > 15,000 +\|/);
    assert.match(md, /\*\*Bottleneck:\*\* message wire round trips \(capacity\) degrades most/);
    assert.match(md, /\| medium +\| broadcast \| lost +\| +3 \| subscriber 57 missed seq 18211 on bench.0 \|/);
  });

  it("keeps every table row the same width so it reads as plain text", () => {
    const table = section(md, "## Summary across levels", "## Degradation analysis").split("\n").filter((l) => l.startsWith("|"));
    assert.ok(table.length > 3);
    assert.equal(new Set(table.map(displayWidth)).size, 1);
  });
});
