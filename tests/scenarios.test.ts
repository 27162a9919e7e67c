/**
 * Users' scenarios measured as honestly as the built-in suites: every
 * request, check and latency sample counted exactly; no latency below what a
 * server holds each reply; a burst of pushes during think time buffered and
 * counted, the overflow of a small inbox too; a scenario's own error counted
 * where it threw. Against the embedded reference server and a fixture server
 * that behaves one known way (`fixtures/scenario-server.ts`).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { defineScenario, type Level, type Result, stress, type SuiteResult } from "../mod.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { Histogram } from "../src/model/histogram.ts";
import type { SuiteProgress } from "../src/model/suite-progress.ts";
import { type ScenarioServer, startScenarioServer } from "./fixtures/scenario-server.ts";

const runtime = detectRuntime();
const level = (connections: number, messagesPerConnection: number): Level => ({
  name: "tiny",
  operations: connections * messagesPerConnection,
  connections,
  messagesPerConnection,
  subscribers: 1,
});
const wire = (s: SuiteResult, key: string): number | undefined => s.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;
const errorsOf = (s: SuiteResult): string[] => s.errors.map((e) => `${e.class} × ${e.count}`);
const onlySuite = (r: Result): SuiteResult => r.levels[0].suites[0];

describe(`a scenario's counts, from ${runtime}`, () => {
  // per virtual user: one echo in setup and teardown; per iteration an echo, a raw round trip and two checks
  const flow = defineScenario<string>({
    name: "counted-flow",
    metrics: { bytes: { kind: "counter", unit: "B" }, step: { kind: "histogram", unit: "steps" }, odd: { kind: "rate" } },
    setup: (vu) => vu.echo("in"),
    async run(vu) {
      await vu.echo();
      const id = 500_000 + vu.iteration;
      const reply = await vu.request(JSON.stringify({ op: "echo", id, p: "raw" }), (m) => m.includes(`"id":${id},`));
      vu.check("raw reply", reply.includes('"p":"raw"'));
      vu.check("always", true);
      vu.metric("bytes").add(10);
      vu.metric("step").add(vu.iteration);
      vu.metric("odd").add(vu.iteration % 2 === 1);
    },
    teardown: (vu) => vu.echo("out"),
  });
  let suite: SuiteResult;
  const progress: SuiteProgress[] = [];
  before(async () => {
    const run = stress().scenario(flow).level(level(4, 25)).warmup(false).onProgress((e) => {
      if (e.type === "suite-progress" && e.suite === "counted-flow") progress.push(e.progress);
    });
    suite = onlySuite((await run.run()).json);
  });

  it("reports its iterations as its progress, the last event holding the result's count over the planned", () => {
    const last = progress.at(-1);
    assert.ok(last, "no progress event for the scenario");
    assert.deepEqual([last.phase, last.done, last.planned, last.final], ["iterations completed", 100, 100, true]);
    assert.equal(last.latencyMs?.samples, 100, "the running histogram is the iterations'");
    assert.equal(progress.filter((p) => p.final).length, 1);
  });

  it("counts every round trip it made, and times each one", () => {
    const requests = 4 * (1 + 25 * 2 + 1);
    assert.equal(wire(suite, "requests"), requests);
    assert.equal(suite.histograms["wire.request"].count, requests, "one latency sample per round trip");
    assert.equal(wire(suite, "iterations"), 100);
    assert.equal(suite.histograms["wire.iteration"].count, 100);
    assert.equal(wire(suite, "answered_pct"), 100);
    assert.equal(wire(suite, "vus"), 4);
    assert.equal(wire(suite, "sends"), undefined, "a verb never used records nothing");
  });

  it("counts every check, and its own metrics, exactly", () => {
    assert.equal(wire(suite, "checks"), 200);
    assert.equal(wire(suite, "checks_failed"), 0);
    assert.equal(wire(suite, "bytes"), 4 * 25 * 10);
    assert.equal(suite.histograms["wire.step"].count, 100);
    assert.equal(wire(suite, "step_max"), 24, "a histogram of the user's own values, in its unit");
    assert.equal(wire(suite, "odd"), 48, "12 of 25 iterations are odd");
    assert.ok(suite.notes.includes('checks: "raw reply" 100/100 passed, "always" 100/100 passed'), suite.notes.join("\n"));
    assert.deepEqual(errorsOf(suite), []);
    assert.equal(suite.status, "ok");
  });
});

describe(`a server that holds every reply 60 ms, from ${runtime}`, () => {
  const HOLD_MS = 60;
  let server: ScenarioServer;
  let suite: SuiteResult;
  before(async () => {
    server = await startScenarioServer(HOLD_MS);
    const held = defineScenario<string>({
      name: "held",
      async run(vu) {
        await vu.echo();
        await vu.request(`raw:${vu.index}:${vu.iteration}`, (m) => m === `raw:${vu.index}:${vu.iteration}`);
        // think time: in the iteration, never in a round trip
        await vu.sleep(50);
      },
    });
    suite = onlySuite((await stress().target(server.url).profile("echo").scenario(held).level(level(3, 4)).warmup(false).run()).json);
  });
  after(() => server?.close());

  it("records no round trip below the hold, and every one of them", () => {
    const rtt = Histogram.fromJSON(suite.histograms["wire.request"]);
    assert.equal(rtt.count, 3 * 4 * 2);
    assert.equal(server.received, 3 * 4 * 2);
    assert.ok(rtt.min >= HOLD_MS * 1e6, `a round trip of ${rtt.min / 1e6} ms, under the ${HOLD_MS} ms hold`);
  });

  it("counts the think time in the iteration and nowhere else", () => {
    const iteration = Histogram.fromJSON(suite.histograms["wire.iteration"]);
    assert.ok(iteration.min >= (2 * HOLD_MS + 50) * 1e6, `an iteration of ${iteration.min / 1e6} ms`);
  });
});

describe(`a burst of 1,000 pushes while a virtual user sleeps, from ${runtime}`, () => {
  let server: ScenarioServer;
  const burst = (inbox?: number) =>
    defineScenario<string>({
      name: "burst",
      iterations: 1,
      ...(inbox ? { inbox } : {}),
      async run(vu) {
        vu.send("burst:1000");
        await vu.sleep(400);
        vu.check("last push", (await vu.expect((m) => m === "push:999", { within: 200 })) !== undefined);
        vu.check("first push", (await vu.expect((m) => m === "push:0", { within: 200 })) !== undefined);
      },
    });
  const run = async (inbox?: number) =>
    onlySuite((await stress().target(server.url).profile("echo").scenario(burst(inbox)).level(level(1, 1)).warmup(false).run()).json);
  before(async () => {
    server = await startScenarioServer();
  });
  after(() => server?.close());

  it("buffers every push and counts it: read ones awaited at once, the rest unread", async () => {
    const suite = await run();
    assert.equal(wire(suite, "pushes"), 1000);
    assert.equal(wire(suite, "pushes_unread"), 998);
    assert.equal(wire(suite, "pushes_overflowed"), 0);
    assert.equal(wire(suite, "expects"), 2);
    assert.equal(wire(suite, "expect_misses"), 0);
    assert.equal(suite.histograms["wire.expect"].count, 2);
    assert.equal(wire(suite, "sends"), 1);
    assert.deepEqual(errorsOf(suite), []);
    assert.equal(suite.verdict, "pass");
  });

  it("keeps the newest pushes in a full inbox and counts every one it dropped", async () => {
    const suite = await run(100);
    assert.equal(wire(suite, "pushes"), 1000);
    assert.equal(wire(suite, "pushes_overflowed"), 900);
    assert.equal(wire(suite, "pushes_unread"), 99, "the newest hundred stayed, one was read");
    assert.equal(wire(suite, "expect_misses"), 1, "push:0 was dropped: awaiting it is a miss");
    assert.deepEqual(errorsOf(suite), ["inbox_overflow × 900", "expect_missed × 1"]);
    assert.equal(wire(suite, "checks_failed"), 1);
    assert.equal(suite.verdict, "fail");
  });
});

describe(`a scenario that throws during a run, from ${runtime}`, () => {
  let suite: SuiteResult;
  before(async () => {
    const faulty = defineScenario({
      name: "faulty",
      async run(vu) {
        await vu.echo();
        if (vu.iteration === 3) throw new TypeError(`bad state in virtual user ${vu.index}`);
      },
    });
    suite = onlySuite((await stress().scenario(faulty).level(level(5, 10)).warmup(false).run()).json);
  });

  it("counts each throw as the scenario's error, and the iteration as not done", () => {
    assert.deepEqual(errorsOf(suite), ["scenario_error × 5"]);
    assert.match(suite.errors[0].message, /^scenario faulty: iteration 3 threw TypeError: bad state in virtual user \d$/);
    assert.equal(wire(suite, "iterations"), 45);
    assert.equal(wire(suite, "answered_pct"), 90);
    assert.equal(wire(suite, "requests"), 50, "the throwing iterations made their round trip");
    assert.equal(suite.metrics.find((m) => m.key === "request_p99_ms")?.verdict, "fail", "percentiles over part of the work are ❌");
    assert.equal(suite.verdict, "fail");
  });
});
