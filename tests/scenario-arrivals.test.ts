/**
 * The open and ramping models: arrivals on a schedule whose instants are
 * exact (constant and ramping rates), every scheduled arrival either started
 * or dropped and counted when the level's virtual users are all busy, each
 * arrival's connect timed from its intended instant, and ramping virtual
 * users that never outnumber the stages' line. Each stops by itself.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { defineScenario, type Level, stress, type SuiteResult } from "../mod.ts";
import { arrivalSchedule, targetAt } from "../src/load/vu-executors.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { LoadModel } from "../src/model/scenario-plan.ts";

const runtime = detectRuntime();
const level = (connections: number): Level => ({
  name: "open",
  operations: connections,
  connections,
  messagesPerConnection: 1,
  subscribers: 1,
});
const wire = (s: SuiteResult, key: string): number | undefined => s.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;
const errorsOf = (s: SuiteResult): string[] => s.errors.map((e) => `${e.class} × ${e.count}`);

describe("the arrivals' schedule", () => {
  it("spaces a constant rate evenly, the last arrival before the end", () => {
    const s = arrivalSchedule({ executor: "arrival-rate", start: 10, stages: [{ durationMs: 1000, target: 10 }] }, 1);
    assert.equal(s.count, 10);
    assert.deepEqual(Array.from({ length: 10 }, (_, k) => Math.round(s.at(k))), [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it("places a ramp's arrivals where the integral of its rate reaches each one, and scales a share's part", () => {
    // 0 → 10/s over 1 s: 5 arrivals, arrival k at √(k/5) s
    const ramp = arrivalSchedule({ executor: "arrival-rate", start: 0, stages: [{ durationMs: 1000, target: 10 }] }, 1);
    assert.equal(ramp.count, 5);
    for (let k = 0; k < 5; k++) assert.ok(Math.abs(ramp.at(k) - Math.sqrt(k / 5) * 1000) < 1e-6, `arrival ${k} at ${ramp.at(k)}`);
    const share = arrivalSchedule({ executor: "arrival-rate", start: 20, stages: [{ durationMs: 500, target: 20 }] }, 0.5);
    assert.equal(share.count, 5, "half of 20/s for half a second");
  });

  it("follows the stages' line from the start", () => {
    const stages = [{ durationMs: 100, target: 4 }, { durationMs: 100, target: 4 }, { durationMs: 50, target: 0 }];
    const model: Extract<LoadModel, { executor: "ramping-vus" }> = { executor: "ramping-vus", start: 0, stages };
    assert.deepEqual([0, 50, 100, 150, 225, 250, 400].map((t) => targetAt(model, t)), [0, 2, 4, 4, 2, 0, 0]);
  });
});

describe(`arrivals at a constant rate, from ${runtime}`, () => {
  let suite: SuiteResult;
  before(async () => {
    const visit = defineScenario({ name: "visit", load: { executor: "arrival-rate", rate: 40, durationMs: 500 }, run: (vu) => vu.echo() });
    suite = (await stress().scenario(visit).level(level(20)).warmup(false).run()).json.levels[0].suites[0];
  });

  it("starts every scheduled arrival on a connection of its own, its connect timed from when it was due", () => {
    assert.equal(wire(suite, "vus"), 20, "40/s for 0.5 s");
    assert.equal(wire(suite, "arrivals_dropped"), 0);
    assert.equal(suite.histograms["wire.connect"].count, 20);
    assert.equal(wire(suite, "iterations"), 20, "one pass of the flow per arrival");
    assert.equal(wire(suite, "answered_pct"), 100);
    assert.ok(wire(suite, "start_lag_ms")! >= 0);
    assert.deepEqual(errorsOf(suite), []);
  });
});

describe(`arrivals faster than the level's virtual users finish, from ${runtime}`, () => {
  let suite: SuiteResult;
  before(async () => {
    const slow = defineScenario({
      name: "slow",
      load: { executor: "arrival-rate", rate: 100, durationMs: 300 },
      async run(vu) {
        await vu.echo();
        await vu.sleep(250);
      },
    });
    suite = (await stress().scenario(slow).level(level(2)).warmup(false).run()).json.levels[0].suites[0];
  });

  it("drops the arrivals no virtual user can take, counts every one, and fails", () => {
    const started = wire(suite, "vus")!;
    const dropped = wire(suite, "arrivals_dropped")!;
    assert.equal(started + dropped, 30, "every scheduled arrival is started or dropped");
    assert.ok(dropped > 0 && started >= 2, `${started} started, ${dropped} dropped`);
    assert.ok(wire(suite, "vus_max")! <= 2, "never more than the level's virtual users at once");
    assert.deepEqual(errorsOf(suite), [`arrival_dropped × ${dropped}`]);
    assert.equal(wire(suite, "answered_pct"), (100 * started) / 30, "a dropped arrival's pass of the flow is not done");
    assert.equal(suite.verdict, "fail");
  });
});

describe(`ramping virtual users, from ${runtime}`, () => {
  let suite: SuiteResult;
  before(async () => {
    const ramp = defineScenario({
      name: "ramp",
      load: {
        executor: "ramping-vus",
        stages: [{ durationMs: 300, target: 3 }, { durationMs: 300, target: 3 }, { durationMs: 100, target: 0 }],
      },
      async run(vu) {
        await vu.echo();
        await vu.sleep(20);
      },
    });
    suite = (await stress().scenario(ramp).level(level(10)).warmup(false).run()).json.levels[0].suites[0];
  });

  it("keeps at most the stages' virtual users live, iterates while they are wanted, and stops by itself", () => {
    assert.equal(wire(suite, "vus_max"), 3);
    assert.equal(wire(suite, "vus"), 3, "a virtual user the line keeps is never replaced");
    // each is wanted for 400 ms or more, an iteration is a round trip and 20 ms: more iterations than virtual users, however busy
    assert.ok(wire(suite, "iterations")! > 3, `${wire(suite, "iterations")} iterations`);
    assert.equal(wire(suite, "answered_pct"), 100, "every iteration begun was finished: the ramp down lets each end its own");
    assert.deepEqual(errorsOf(suite), []);
  });
});
