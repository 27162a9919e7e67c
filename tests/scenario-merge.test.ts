/**
 * A scenario split over worker processes, and over three shards joined by
 * `mergeShards`, comes out with the single process's counts exactly: its
 * iterations, round trips, latency samples, checks and the user's own
 * metrics (a histogram of the same values merges to the same percentiles).
 * The scenario is a module (`fixtures/scenario-counted.ts`), as worker
 * processes load it again by path.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Level, mergeShards, type Result, stress, type SuiteResult } from "../mod.ts";
import { detectRuntime } from "../src/host/system-info.ts";

const runtime = detectRuntime();
const COUNTED = "tests/fixtures/scenario-counted.ts";
const LEVEL: Level = { name: "twelve", operations: 60, connections: 12, messagesPerConnection: 5, subscribers: 1 };
const base = () => stress().scenario(COUNTED).level(LEVEL).warmup(false);

/** What must come out the same however the load was split. */
function counts(s: SuiteResult): Record<string, number | undefined> {
  const wire = (key: string) => s.metrics.find((m) => m.layer === "wire" && m.key === key)?.value;
  return {
    iterations: wire("iterations"),
    answered: wire("answered_pct"),
    vus: wire("vus"),
    requests: wire("requests"),
    requestSamples: s.histograms["wire.request"]?.count,
    iterationSamples: s.histograms["wire.iteration"]?.count,
    checks: wire("checks"),
    checksFailed: wire("checks_failed"),
    items: wire("items"),
    sizeSamples: s.histograms["wire.size"]?.count,
    sizeP50: wire("size_p50"),
    sizeP99: wire("size_p99"),
    sizeMax: wire("size_max"),
    even: wire("even"),
    errors: wire("errors"),
  };
}

describe(`a scenario in one process, in worker processes and in three shards, from ${runtime}`, () => {
  let single: Result;
  let workers: Result;
  let merged: Result;
  before(async () => {
    single = (await base().run()).json;
    workers = (await base().connectionsPerProcess(4).run()).json;
    const shards = [];
    for (let i = 0; i < 3; i++) shards.push({ name: `shard-${i}.json`, result: (await base().shard(i, 3).run()).json });
    merged = mergeShards(shards);
  });

  it("counts what the scenario did in one process, exactly", () => {
    const [s] = single.levels[0].suites;
    const { sizeP50, ...exact } = counts(s);
    // a histogram keeps a value within 1/256 of itself: 3 is in the bucket whose middle is 3.006
    assert.ok(Math.abs(sizeP50! - 3) / 3 < 1 / 256, `size p50 ${sizeP50}`);
    assert.deepEqual(exact, {
      iterations: 60,
      answered: 100,
      vus: 12,
      requests: 12 * (1 + 5 * 2),
      requestSamples: 132,
      iterationSamples: 60,
      checks: 60,
      checksFailed: 0,
      items: 5 * (12 * 13) / 2,
      sizeSamples: 60,
      sizeP99: 6,
      sizeMax: 6,
      even: 50,
      errors: 0,
    });
  });

  it("merges three worker processes' shares into the same counts", () => {
    const [s] = workers.levels[0].suites;
    assert.equal(s.generator?.processes, 3, "the level ran in three worker processes");
    assert.deepEqual(counts(s), counts(single.levels[0].suites[0]));
  });

  it("merges three shards into the same counts, and judges the scenario's own threshold the same way", () => {
    const [s] = merged.levels[0].suites;
    assert.deepEqual(counts(s), counts(single.levels[0].suites[0]));
    assert.deepEqual(s.metrics.find((m) => m.key === "even")?.threshold, { better: "higher", excellent: 40, good: 30 });
    assert.equal(s.metrics.find((m) => m.key === "even")?.verdict, "pass");
    assert.deepEqual(merged.plan.scenarios?.map((sc) => sc.name), ["counted"]);
  });
});
