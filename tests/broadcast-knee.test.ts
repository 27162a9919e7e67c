/**
 * The broadcast knee: a bounded search over fixed delivery rates for the
 * highest one whose p99 holds a bound. The search order is checked on its
 * own; one real search runs end to end on a tiny level.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Report, stress } from "../mod.ts";
import { type KneeStep, MAX_STEPS, nextRate } from "../src/suites/_broadcast-knee.ts";
import { detectRuntime } from "../src/host/system-info.ts";

const step = (deliveriesPerSec: number, passed: boolean): KneeStep => ({
  deliveriesPerSec,
  passed,
  p99Ms: passed ? 1 : 99,
  lost: 0,
  maxSendLagMs: 0,
});

describe("the knee search's next rate", () => {
  it("starts at the given rate, doubles while the bound holds and halves while it breaks", () => {
    assert.equal(nextRate([], 1_000), 1_000);
    assert.equal(nextRate([step(1_000, true)], 1_000), 2_000);
    assert.equal(nextRate([step(1_000, false)], 1_000), 500);
    assert.equal(nextRate([step(1_000, false), step(500, false)], 1_000), 250);
  });

  it("bisects between the best pass and the lowest fail, and stops once they are close or the steps run out", () => {
    assert.equal(nextRate([step(1_000, true), step(4_000, false)], 1_000), 2_000);
    assert.equal(nextRate([step(1_000, true), step(1_200, false)], 1_000), undefined);
    const many = Array.from({ length: MAX_STEPS }, (_, i) => step(1_000 * 2 ** i, true));
    assert.equal(nextRate(many, 1_000), undefined);
  });
});

describe(`a broadcast knee search on ${detectRuntime()}`, () => {
  const level = { name: "knee", operations: 400, connections: 8, messagesPerConnection: 10, subscribers: 8 };
  let report: Report;
  before(async () => {
    report = await stress().level(level).suite("broadcast").p99Bound(50).warmup(false).run();
  });

  it("reports the knee or the first failing rate as metrics, and how it searched as a note", () => {
    const suite = report.json.levels[0].suites[0];
    assert.equal(suite.status, "ok", JSON.stringify(suite.errors));
    const metric = (key: string) => suite.metrics.find((m) => m.key === key)?.value;
    const knee = metric("knee_deliveries_per_s");
    const fail = metric("knee_fail_deliveries_per_s");
    assert.ok(knee !== undefined || fail !== undefined, "neither a knee nor a failing rate");
    if (knee !== undefined) assert.ok(metric("knee_p99_ms")! <= 50);
    if (knee !== undefined && fail !== undefined) assert.ok(fail > knee);
    const note = suite.notes.find((n) => n.startsWith("knee:"));
    assert.match(note ?? "", /fixed-rate steps of 1 s \(at most 8\)/);
    assert.equal(report.json.plan.p99BoundMs, 50);
  });

  it("is off unless asked for, and refuses a bound that is not above 0", () => {
    assert.equal(stress().plan().p99BoundMs, undefined);
    assert.throws(() => stress().p99Bound(0), /^RangeError: p99Bound: 0 is not above 0; allowed: a number of milliseconds above 0$/);
  });
});
