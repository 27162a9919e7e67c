/**
 * The runtime matrix: the statistics on fixed numbers, the orchestration on
 * a fake platform, the CLI's input checks, and one real minimal-level matrix
 * over all nine Node/Deno/Bun pairings, each side in its own process.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { stress } from "../mod.ts";
import { findExecutable, resolveRuntimes } from "../src/host/executables.ts";
import { processUsage, selfUsage } from "../src/host/process-usage.ts";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { parseMatrixCli } from "../src/cli/matrix-command.ts";
import { compareCells, median, ratio, summarize } from "../src/analysis/matrix-statistics.ts";
import { compareMetrics } from "../src/analysis/matrix-metrics.ts";
import { DEFAULT_TOLERANCES } from "../src/analysis/tolerances.ts";
import { buildResult } from "./_results.ts";
import type { MatrixPlatform } from "../src/run/platform.ts";
import { createMatrixReport, type MatrixReport } from "../src/report/matrix-report.ts";
import { parseMatrix } from "../src/model/matrix-document.ts";
import { parseResult } from "../src/model/result.ts";

const runtime = detectRuntime();
const ENV = { noColor: true, isTTY: false };

describe("the matrix statistics", () => {
  it("takes the middle value as the median, and the mean of the two middle ones for an even count", () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]), RangeError);
  });

  it("measures the spread as the range of the rounds", () => {
    assert.deepEqual(summarize([10, 14, 11]), { median: 11, min: 10, max: 14, spread: 4 });
  });

  const RULE = { tolerancePercent: 10, gated: true };

  it("names the best median the leader and calls it the winner when the rank test over 5 rounds puts its lead beyond the tolerance", () => {
    const higher = compareCells("higher", [
      { pairing: "node/node", samples: [100, 104, 98, 101, 99] },
      { pairing: "bun/bun", samples: [200, 190, 210, 205, 198] },
      { pairing: "deno/deno", samples: [50, 51, 49, 50.5, 49.5] },
    ], RULE);
    assert.equal(higher.leader, "bun/bun");
    assert.equal(higher.outcome, "win");
    assert.deepEqual(higher.tiedWith, []);
    assert.deepEqual(higher.cells.map((c) => c.ratio), [2, 1, 4]);
    assert.deepEqual(higher.cells.map((c) => c.beaten), [true, false, true]);
    const [lo, hi] = higher.cells[0].ratioInterval!;
    assert.ok(lo > 1.8 && lo < 2 && hi > 2 && hi < 2.2, `${lo}–${hi}`);
    assert.equal(higher.cells[1].call, null, "the leader is not compared with itself");
    assert.equal(higher.cells[0].call?.method, "rank-test");

    const lower = compareCells("lower", [
      { pairing: "node/node", samples: [2, 2.1, 1.9, 2, 2.05] },
      { pairing: "bun/bun", samples: [8, 8.1, 7.9, 8, 8.2] },
    ], RULE);
    assert.equal(lower.leader, "node/node");
    assert.equal(lower.cells[1].ratio, 4);
    assert.equal(lower.outcome, "win");
  });

  it("ties when the rounds overlap, and when the lead is real but inside the tolerance: a ×1.02 lead is no win", () => {
    const noisy = compareCells("higher", [
      { pairing: "a", samples: [95, 100, 106, 90, 112] },
      { pairing: "b", samples: [104, 105, 107, 99, 101] },
    ], RULE);
    assert.equal(noisy.leader, "b");
    assert.equal(noisy.outcome, "tie");
    assert.deepEqual(noisy.tiedWith, ["a"]);
    const close = compareCells("higher", [
      { pairing: "a", samples: [100, 100.1, 99.9, 100, 100.05] },
      { pairing: "b", samples: [102, 102.1, 101.9, 102, 102.05] },
    ], RULE);
    assert.equal(close.outcome, "tie", "every round of b beat every round of a, by 2 %");
    assert.ok(close.cells[0].call!.pValue! < 0.01);
    const inputs = close.cells.map((c) => ({ pairing: c.pairing, samples: c.samples }));
    assert.equal(compareCells("higher", inputs, { ...RULE, tolerancePercent: 1 }).outcome, "win");
  });

  it("calls nothing with 3 rounds or fewer, and says so, however far apart the medians", () => {
    for (const rounds of [1, 2, 3]) {
      const c = compareCells("higher", [
        { pairing: "a", samples: [100, 101, 99].slice(0, rounds) },
        { pairing: "b", samples: [300, 301, 299].slice(0, rounds) },
      ], RULE);
      assert.equal(c.outcome, "too-few", `${rounds} rounds`);
      assert.equal(c.leader, "b");
      assert.equal(c.cells[0].beaten, false);
      assert.equal(c.cells[0].call?.call, "too-few");
    }
  });

  it("never calls a single-sample figure unless a tolerance names it, and has nothing to compare with one cell", () => {
    const samples = [{ pairing: "a", samples: [1, 1.1, 0.9, 1, 1] }, { pairing: "b", samples: [9, 9.1, 8.9, 9, 9] }];
    assert.equal(compareCells("lower", samples, { ...RULE, gated: false }).outcome, "not-gated");
    assert.equal(compareCells("lower", samples, RULE).outcome, "win");
    assert.equal(compareCells("lower", [samples[0]], RULE).outcome, "alone");
  });

  it("groups an engine row by the client runtime that timed it, pooling every server's rounds; one client runtime compares nothing", () => {
    const run = (engine: number, wire: number, values = { "wire.round_trips_per_s": wire, "engine.ops_per_s": engine }) => ({
      round: 1,
      status: "ok" as const,
      durationMs: 1,
      result: buildResult([{ name: "minimal", suites: [{ suite: "message", values }] }]),
      client: {},
      server: {},
    });
    const pairing = (server: "node" | "bun", client: "node" | "deno", engine: number, wire: number) => ({
      id: `${server}/${client}`,
      server,
      client,
      runs: [0, 1, 2].map((i) => run(engine * (1 + i / 100), wire * (1 + i / 100))),
    });
    const metrics = compareMetrics([
      pairing("node", "node", 1e6, 10_000),
      pairing("bun", "node", 1e6, 20_000),
      pairing("node", "deno", 2e6, 10_000),
      pairing("bun", "deno", 2e6, 20_000),
    ], DEFAULT_TOLERANCES);
    const engine = metrics.find((m) => m.id === "minimal.message.engine.ops_per_s")!;
    assert.equal(engine.by, "client");
    assert.deepEqual(engine.cells.map((c) => [c.pairing, c.samples.length]), [["node", 6], ["deno", 6]]);
    assert.equal(engine.leader, "deno");
    assert.equal(engine.outcome, "win", "6 rounds of each client runtime are enough");
    const wire = metrics.find((m) => m.id === "minimal.message.wire.round_trips_per_s")!;
    assert.equal(wire.by, "pairing");
    assert.equal(wire.cells.length, 4);
    assert.equal(wire.outcome, "too-few", "3 rounds of each pairing are not");
    const alone = compareMetrics([pairing("node", "node", 1e6, 1), pairing("bun", "node", 3e6, 1)], DEFAULT_TOLERANCES);
    assert.equal(alone.find((m) => m.id === "minimal.message.engine.ops_per_s")!.outcome, "alone");
  });

  it("gives a ratio of 1 for equal figures and none when the leader is infinitely better", () => {
    assert.equal(ratio("lower", 0, 0), 1);
    assert.equal(ratio("lower", 0, 3), null);
    assert.equal(ratio("higher", 500, 0), null);
    assert.equal(ratio("higher", 300, 100), 3);
    assert.equal(ratio("lower", 1.5, 6), 4);
    assert.equal(ratio("lower", -25, 20), null);
  });

  it("leaves out pairings without samples and keeps the first of equal medians as the leader", () => {
    const c = compareCells("higher", [
      { pairing: "a", samples: [] },
      { pairing: "b", samples: [10] },
      { pairing: "c", samples: [10] },
    ], RULE);
    assert.deepEqual(c.cells.map((x) => x.pairing), ["b", "c"]);
    assert.equal(c.leader, "b");
    assert.throws(() => compareCells("higher", [{ pairing: "a", samples: [] }], RULE), RangeError);
  });
});

describe("the runtimes() builder and the matrix command's flags", () => {
  it("runs every runtime on both sides for five rounds unless told otherwise", () => {
    const plan = stress().level("minimal").runtimes().plan();
    assert.deepEqual(plan.servers, ["node", "deno", "bun"]);
    assert.deepEqual(plan.clients, ["node", "deno", "bun"]);
    assert.equal(plan.rounds, 5);
    assert.equal(stress().level("minimal").runtimes({ clients: ["bun"] }).rounds(2).plan().rounds, 2);
  });

  it("refuses unknown runtimes, a target of the user's own and zero rounds", () => {
    assert.throws(
      // @ts-expect-error: an unknown runtime, as a JS caller could pass
      () => stress().runtimes({ servers: ["java"] }),
      /^RangeError: runtimes\(\): servers: unknown runtime "java"; allowed: node, deno, bun$/,
    );
    assert.throws(
      // @ts-expect-error: a mistyped runtime
      () => stress().runtimes({ clients: ["nod"] }),
      /^RangeError: runtimes\(\): clients: unknown runtime "nod" \(did you mean "node"\?\); allowed: node, deno, bun$/,
    );
    assert.throws(
      () => stress().target("ws://127.0.0.1:9/").runtimes(),
      /^RangeError: runtimes\(\): starts a server per pairing, and the plan has a target; allowed: a plan without target\(\)$/,
    );
    assert.throws(
      () => stress().runtimes().rounds(0),
      /^RangeError: rounds: Invalid value: Expected >=1 but received 0; allowed: a positive integer$/,
    );
    const one = /^RangeError: runtimes\(\): one server and one client make one pairing \(bun\/node\): nothing to compare/;
    assert.throws(() => stress().runtimes({ servers: ["bun"], clients: ["node"] }), one);
  });

  it("takes a tolerance for every metric and one per metric, refusing a metric it does not know", () => {
    assert.ok(stress().runtimes().tolerance(5).tolerance("message.wire.rtt_p99_ms", 15).tolerance("process.server.cpu_s", 20));
    assert.throws(() => stress().runtimes().tolerance(-1), /^RangeError: tolerance\(\): -1 is not a percentage; allowed: a number ≥ 0/);
    const unknown = /^RangeError: tolerance\(\): unknown metric "message\.wire\.rtt_p98_ms" \(did you mean/;
    assert.throws(() => stress().runtimes().tolerance("message.wire.rtt_p98_ms", 5), unknown);
    assert.deepEqual(parseMatrixCli(["--tolerance", "5%", "--tolerance", "message.wire.rtt_max_ms=30%"], ENV).tolerances, {
      defaultPercent: 5,
      perMetric: { "message.wire.rtt_max_ms": 30 },
    });
  });

  it("parses comma-separated runtimes and executable paths, and defaults to the light level", () => {
    const o = parseMatrixCli(["--servers", "bun,node", "--clients", "deno", "--rounds", "2", "--bun", "/opt/bun"], ENV);
    assert.deepEqual(o.servers, ["bun", "node"]);
    assert.deepEqual(o.clients, ["deno"]);
    assert.equal(o.rounds, 2);
    assert.deepEqual(o.executables, { bun: "/opt/bun" });
    assert.deepEqual(parseMatrixCli([], ENV).input.levels.map((l) => l.name), ["light"]);
  });

  it("rejects bad input with the input formatter's RangeError, naming what is allowed and the nearest name when one was mistyped", () => {
    const bad: Array<[string[], RegExp]> = [
      [["--servers", "node,java"], /^--servers: unknown value "java"; allowed: node, deno, bun$/],
      [["--servers", "node", "--clients", "node"], /^wsstress matrix: one server and one client make one pairing \(node\/node\)/],
      [["--servers", "node,dno"], /^--servers: unknown value "dno" \(did you mean "deno"\?\); allowed: node, deno, bun$/],
      [["--clients", ","], /allowed: runtime names, comma-separated: node, deno, bun$/],
      [["--rounds", "0"], /^--rounds: Invalid value: Expected >=1 but received 0; allowed: a positive integer$/],
      [["--tolerance", "message.wire.rtt_p999_ms=5"], /^--tolerance message\.wire\.rtt_p999_ms: .*"message\.wire\.rtt_p99_ms"\?\)/],
      [["--level", "huge"], /^--level: unknown level "huge"; allowed: minimal, light/],
      [["--level", "hgih"], /^--level: unknown level "hgih" \(did you mean "high"\?\)/],
      [["--suite", "latency"], /^--suite: unknown suite "latency"; allowed: connection, message/],
      [
        ["--levels", "light"],
        /^--levels: unknown flag \(did you mean "--level"\?\); allowed: --servers, .* as wsstress matrix --help lists them$/,
      ],
      [["--server", "node"], /^--server: unknown flag \(did you mean "--servers"\?\)/],
      [["--nope"], /wsstress matrix --help/],
    ];
    for (const [argv, message] of bad) {
      assert.throws(
        () => parseMatrixCli(argv, ENV),
        (e: Error) => e instanceof RangeError && !e.message.includes("\n") && message.test(e.message),
        argv.join(" "),
      );
    }
  });

  it(`exits 2 on bad input from the command line on ${runtime}`, async () => {
    const { command, args } = runtimeCommand(runtime, fileURLToPath(new URL("../src/bin/cli.ts", import.meta.url)));
    const child = spawn(command, [...args, "matrix", "--servers", "java"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    assert.equal(code, 2, stderr);
    assert.match(stderr, /allowed: node, deno, bun/);
  });
});

describe("the matrix's processes", () => {
  it("finds the runtimes npm install pinned, whatever the working directory, unless a path is given", () => {
    for (const name of ["node", "deno", "bun"] as const) {
      assert.match(findExecutable(name) ?? "", new RegExp(`node_modules[\\\\/]\\.bin[\\\\/]${name}(\\.exe|\\.cmd)?$`), name);
    }
    assert.equal(findExecutable("bun", "/opt/bun/bin/bun"), "/opt/bun/bin/bun");
  });

  it("refuses an executable that does not run, naming the flag that points at another", async () => {
    await assert.rejects(
      resolveRuntimes(["deno"], { deno: "/nonexistent/deno" }),
      (e: Error) => e instanceof RangeError && /--deno PATH/.test(e.message),
    );
  });

  it("reads CPU time and peak memory of a process, and of itself", () => {
    const self = selfUsage();
    assert.ok(self.cpuMs > 0 && self.peakRssBytes > 1_000_000);
    const usage = processUsage(process.pid);
    if (process.platform === "linux") {
      assert.ok(usage !== undefined && usage.cpuMs >= 0 && usage.peakRssBytes >= usage.rssBytes && usage.rssBytes > 1_000_000);
    }
    assert.equal(processUsage(2 ** 30), undefined);
  });
});

describe("the matrix's orchestration on a fake platform", () => {
  it("runs the pairings interleaved round by round and keeps a failed run's error", async () => {
    const order: string[] = [];
    const fake: MatrixPlatform = {
      machine: () => ({ os: "test", arch: "x", cpuModel: "fake", cores: 1, memoryBytes: 1 }),
      resolve: async (names) => names.map((name) => ({ name, executable: `/fake/${name}`, version: "1.0.0" })),
      runPairing: async (server, client) => {
        order.push(`${server}/${client}`);
        throw new Error(`${server} server refused`);
      },
    };
    const report = await stress().level("minimal").runtimes({ servers: ["node", "bun"], clients: ["deno"] }).rounds(2).platform(fake).run();
    assert.deepEqual(order, ["node/deno", "bun/deno", "node/deno", "bun/deno"]);
    assert.equal(report.json.status, "partial");
    assert.deepEqual(report.json.pairings.map((p) => p.runs.map((r) => r.error)), [
      ["node server refused", "node server refused"],
      ["bun server refused", "bun server refused"],
    ]);
    assert.deepEqual(report.json.metrics, []);
    assert.match(report.terminal(), /failed: node\/deno round 1: node server refused/);
  });
});

describe("a minimal-level matrix over all nine pairings", () => {
  let report: MatrixReport;
  before(async () => {
    report = await stress().level("minimal").suite("message").warmup(false).runtimes().rounds(1).run();
  });

  it("runs every server × client pairing once, each with a valid result from its own client runtime", () => {
    assert.equal(
      report.json.status,
      "complete",
      JSON.stringify(report.json.pairings.flatMap((p) => p.runs.map((r) => r.error)).filter(Boolean)),
    );
    assert.deepEqual(report.json.pairings.map((p) => p.id), [
      "node/node",
      "node/deno",
      "node/bun",
      "deno/node",
      "deno/deno",
      "deno/bun",
      "bun/node",
      "bun/deno",
      "bun/bun",
    ]);
    for (const pairing of report.json.pairings) {
      assert.equal(pairing.runs.length, 1, pairing.id);
      const [run] = pairing.runs;
      assert.equal(run.status, "ok", `${pairing.id}: ${run.error}`);
      const result = parseResult(run.result);
      assert.equal(result.runtime.name, pairing.client, pairing.id);
      assert.equal(result.server.embedded, false);
      const message = result.levels[0].suites[0];
      assert.equal(message.status, "ok", pairing.id);
      assert.equal(message.metrics.find((m) => m.key === "errors")?.value, 0, pairing.id);
    }
  });

  it("reports each runtime's executable and version", () => {
    assert.deepEqual(report.json.runtimes.map((r) => r.name), ["node", "deno", "bun"]);
    for (const r of report.json.runtimes) assert.match(r.version, /^\d+\.\d+\.\d+/);
  });

  it("calls nothing from one round, and says so; groups the engine rows by client runtime", () => {
    const ids = report.json.metrics.map((m) => m.id);
    assert.ok(ids.includes("minimal.message.wire.round_trips_per_s"));
    assert.ok(ids.includes("minimal.message.wire.rtt_p99_ms"));
    for (const m of report.json.metrics) {
      // a max, a min and the generator's own lag are never gated; everything else needs more rounds than one
      assert.equal(m.outcome, /_(max|min)(_ms)?$|^send_lag_/.test(m.key) ? "not-gated" : "too-few", m.id);
      assert.equal(m.cells.length, m.by === "client" ? 3 : 9, m.id);
      assert.equal(m.by === "client", m.layer === "engine", m.id);
      assert.equal(m.cells.some((c) => c.beaten), false, m.id);
      const leader = m.cells.find((c) => c.pairing === m.leader);
      assert.equal(leader?.ratio, 1, m.id);
      for (const c of m.cells) {
        const worse: boolean = m.better === "higher" ? c.median <= leader!.median : c.median >= leader!.median;
        assert.ok(worse, `${m.id}: ${c.pairing} beats the leader ${m.leader}`);
      }
    }
  });

  it("measures the CPU time and peak memory of the client and of the server apart", () => {
    const figures = report.json.metrics.filter((m) => m.group === "process").map((m) => m.id);
    assert.ok(figures.includes("process.client.cpu_s"));
    assert.ok(figures.includes("process.client.peak_rss"));
    assert.ok(figures.includes("process.server.peak_rss"));
    for (const p of report.json.pairings) {
      assert.ok((p.runs[0].client.peakRssBytes ?? 0) > 1_000_000, p.id);
      assert.ok((p.runs[0].server.peakRssBytes ?? 0) > 1_000_000, p.id);
    }
  });

  it("validates against its own schema and renders every pairing in the terminal, markdown and HTML", () => {
    const again = createMatrixReport(parseMatrix(JSON.parse(JSON.stringify(report.json))));
    const terminal = again.terminal();
    const markdown = again.markdown();
    for (const p of report.json.pairings) assert.ok(markdown.includes(`| ${p.id}`) || markdown.includes(p.id), p.id);
    assert.match(terminal, /server \\ client\s+node\s+deno\s+bun/);
    assert.match(
      terminal,
      /message round trips \(capacity\) \(round trips\/s, higher is better\): no call: too few rounds; best median \S+; nothing/,
    );
    assert.match(terminal, /1 round of each pairing are too few for the rank test to call a winner at 95 % \(it needs 4\)/);
    assert.match(terminal, /timed in the client\s+node\s+deno\s+bun/);
    assert.match(markdown, /\| metric +\| unit +\| better +\| +node\/node \|/);
    const html = again.html();
    assert.match(html, /^<!doctype html>/);
    assert.equal(html.match(/<table class="grid">/g)?.length, report.json.metrics.length);
  });
});
