/**
 * The generator-bound mark: per suite, per phase, saying which process was
 * held back and by how much, and only when the generator's own delay is a
 * visible share of what the phase measured. Loads and lags are built to be
 * known (a fake clock for the open loop), so no timing gates these tests.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { generatorBound } from "../src/analysis/generator-bound.ts";
import { combineLoads, sampleGeneratorLoad } from "../src/load/generator-load.ts";
import { ErrorTally } from "../src/load/error-tally.ts";
import { runOpenLoop } from "../src/load/open-loop.ts";
import { cpuWaitMicros } from "../src/host/system-info.ts";
import type { Fact } from "../src/model/facts.ts";
import type { Metric, SuiteResult } from "../src/model/result.ts";
import { suiteFootnotes } from "../src/report/_sections.ts";
import { judgeGenerator } from "../src/run/generator-verdict.ts";
import { figuresOf } from "../src/run/suite-figures.ts";
import { FakePacer } from "./_fake-pacer.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idle = { cpuPct: 30, lagP99Ms: 0.2 };
const load = (phases: object) => ({ cpuPct: 50, lagP99Ms: 0.3, lagMaxMs: 1, maxRssBytes: 1, phases });

describe("the generator-bound rule", () => {
  it("marks a capacity phase whose busiest load process used 90 % of a core or more", () => {
    assert.deepEqual(generatorBound({ capacity: { cpuPct: 97, lagP99Ms: 1 } }), [{ phase: "capacity", cause: "cpu", value: 97 }]);
    assert.deepEqual(generatorBound({ capacity: { cpuPct: 89, lagP99Ms: 40 } }), []);
  });

  it("marks a latency phase when the sender's lag is at least 10 % of the latency p99 and at least 1 ms", () => {
    const found = generatorBound({ latency: idle }, { of: "rtt_p99_ms", p99Ms: 6, sendLagP99Ms: 2.1 });
    assert.deepEqual(found, [{ phase: "latency", cause: "send_lag", value: 2.1, sharePct: 35, of: "rtt_p99_ms" }]);
    assert.deepEqual(
      generatorBound({ latency: idle }, { of: "rtt_p99_ms", p99Ms: 2, sendLagP99Ms: 0.6 }),
      [],
      "under a timer's resolution",
    );
    assert.deepEqual(generatorBound({ latency: idle }, { of: "rtt_p99_ms", p99Ms: 50, sendLagP99Ms: 1.5 }), [], "3 % of the latency");
    const late = generatorBound({ latency: { cpuPct: 20, lagP99Ms: 30 } }, { of: "ack_p99_ms", p99Ms: 60 });
    assert.deepEqual(late.map((b) => [b.cause, b.value, b.sharePct]), [["loop_lag", 30, 50]]);
  });
});

describe("a generator made to lag on purpose", () => {
  /** the message suite's figures from an open loop on a fake clock where every send costs the sender `costMs` */
  const measured = async (costMs: number): Promise<Metric[]> => {
    const pacer = new FakePacer();
    const done = runOpenLoop(pacer.connections(4, 5, costMs), {
      total: 2_000,
      rate: 2_000,
      stallMs: 1_000,
      errors: new ErrorTally(),
      timing: pacer.timing,
      request: (_c, id) => `{"id":${id}}`,
    });
    pacer.run();
    const { latency, sendLag } = await done;
    const facts: Fact[] = [
      { kind: "latency", layer: "wire", key: "rtt" },
      { kind: "max", layer: "wire", key: "send_lag_p99_ms", value: sendLag.percentile(99) / 1e6 },
    ];
    return figuresOf("message", { facts, latencies: { rtt: latency.toJSON() } }, { thresholds: {} }).metrics;
  };

  it("is marked, with how late it sent as a share of the latency it measured", async () => {
    // 0.6 ms per send against 0.5 ms between sends: the sender falls further behind with every request
    const generator = judgeGenerator("message", load({ latency: idle }), 1, await measured(0.6));
    assert.equal(generator.bound, true);
    const [b] = generator.boundBy!;
    assert.equal(b.phase, "latency");
    assert.equal(b.cause, "send_lag");
    assert.ok(b.value > 1 && b.sharePct! > 10, JSON.stringify(b));
  });

  it("and one that keeps to its schedule is not", async () => {
    const metrics = await measured(0);
    const generator = judgeGenerator("message", load({ latency: idle }), 1, metrics);
    assert.equal(generator.bound, false);
    assert.equal(generator.boundBy, undefined);
    assert.equal(metrics.find((m) => m.key === "send_lag_p99_ms")?.verdict, "pass");
  });

  it("has its send lag shown as the reason, not as a verdict on the server", async () => {
    const metrics = await measured(0.6);
    judgeGenerator("message", load({ latency: idle }), 1, metrics);
    const lag = metrics.find((m) => m.key === "send_lag_p99_ms")!;
    assert.ok(lag.value > 1, String(lag.value));
    assert.equal(lag.verdict, "none");
    assert.match(lag.unjudged ?? "", /^generator-bound, judged only when it passes anyway: latency at load: the load process sent behind/);
  });
});

describe("the figures of a bound phase", () => {
  const metrics = (capacity: number): Metric[] =>
    figuresOf("message", {
      facts: [{ kind: "rate", layer: "wire", key: "round_trips_per_s", ops: capacity * 2, startMs: 0, endMs: 2_000 }],
      latencies: {},
    }, { thresholds: {} }).metrics;

  it("withdraw a ⚠️ or ❌ and say why, since the figure may be the generator's limit", () => {
    const m = metrics(20_000);
    const generator = judgeGenerator("message", load({ capacity: { cpuPct: 97, lagP99Ms: 1, cpuWaitPct: 95 } }), 4, m);
    assert.equal(generator.bound, true);
    assert.equal(m[0].verdict, "none");
    assert.match(
      m[0].unjudged ?? "",
      /^generator-bound, judged only when it passes anyway: capacity: the busiest of 4 load processes used 97 % of a core/,
    );
  });

  it("keep a ✅: the server did at least that well", () => {
    const m = metrics(50_000);
    judgeGenerator("message", load({ capacity: { cpuPct: 97, lagP99Ms: 1 } }), 1, m);
    assert.equal(m[0].verdict, "pass");
    assert.equal(m[0].unjudged, undefined);
  });

  it("are named in the report by phase, process and figure, and by what held the process back", () => {
    const generator = judgeGenerator("message", load({ capacity: { cpuPct: 97, lagP99Ms: 1, cpuWaitPct: 95 } }), 4, metrics(20_000));
    const suite = { suite: "message", status: "ok", metrics: [], errors: [], notes: [], generator } as unknown as SuiteResult;
    const text = suiteFootnotes(suite).map((f) => f.text).join("\n");
    assert.match(
      text,
      /^generator-bound capacity: the busiest of 4 load processes used 97 % of a core, so the throughput may be its own limit \(it waited for a core 95 % of the time: the cores were busy with other processes\)$/m,
    );
  });
});

describe("generator load", () => {
  it("reports the share of wall time spent waiting for a core, when the OS tells, per process and combined", async () => {
    let waited = 0;
    const stop = sampleGeneratorLoad(() => 0, () => ({ rssBytes: 1, heapUsedBytes: 1 }), () => (waited += 50_000));
    await sleep(100);
    const sampled = stop();
    // 50 ms of waiting over at least 100 ms of wall time
    assert.ok(sampled.cpuWaitPct! > 0 && sampled.cpuWaitPct! <= 50, String(sampled.cpuWaitPct));
    const without = sampleGeneratorLoad(() => 0, () => ({ rssBytes: 1, heapUsedBytes: 1 }))();
    assert.equal(without.cpuWaitPct, undefined);
    assert.equal(combineLoads([sampled, without]).cpuWaitPct, sampled.cpuWaitPct);
  });

  it("combines processes phase by phase, keeping the busiest of each", () => {
    const combined = combineLoads([
      load({ capacity: { cpuPct: 97, lagP99Ms: 1 } }),
      load({ capacity: { cpuPct: 40, lagP99Ms: 9 }, latency: idle }),
    ]);
    assert.deepEqual(combined.phases, { capacity: { cpuPct: 97, lagP99Ms: 9 }, latency: idle });
  });

  it("reads the run-queue wait on Linux, and nothing elsewhere", () => {
    const micros = cpuWaitMicros();
    if (process.platform === "linux") assert.ok(typeof micros === "number" && micros >= 0);
    else assert.equal(micros, undefined);
  });
});
