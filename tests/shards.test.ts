/**
 * A level too big for one process is split into shares over worker
 * processes and server processes; what each share measured merges exactly.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Report, stress } from "../mod.ts";
import { Histogram } from "../src/model/histogram.ts";
import { splitShares } from "../src/load/placement.ts";
import { emptyFacts, type Facts, factValue, mergeFacts, spreadFigures, spreadOf } from "../src/model/facts.ts";
import { detectRuntime } from "../src/host/system-info.ts";

const histogramOf = (...ns: number[]): Histogram => {
  const h = new Histogram();
  for (const v of ns) h.record(v);
  return h;
};

describe("facts of several shares", () => {
  it("merge counts by adding, rates over the union of their spans, ratios by parts, latencies by histogram", () => {
    const a: Facts = {
      facts: [
        { kind: "count", layer: "wire", key: "failures", value: 2 },
        { kind: "rate", layer: "wire", key: "round_trips_per_s", ops: 1_000, startMs: 1_000, endMs: 2_000 },
        { kind: "ratio", layer: "wire", key: "client_bytes_per_conn", numerator: 1_000, denominator: 10 },
        { kind: "latency", layer: "wire", key: "rtt" },
      ],
      latencies: { rtt: histogramOf(1e6, 2e6).toJSON() },
    };
    const b: Facts = {
      facts: [
        { kind: "count", layer: "wire", key: "failures", value: 3 },
        { kind: "rate", layer: "wire", key: "round_trips_per_s", ops: 3_000, startMs: 1_500, endMs: 3_000 },
        { kind: "ratio", layer: "wire", key: "client_bytes_per_conn", numerator: 3_000, denominator: 10 },
        { kind: "latency", layer: "wire", key: "rtt" },
      ],
      latencies: { rtt: histogramOf(3e6).toJSON() },
    };
    const merged = mergeFacts([a, b, emptyFacts()]);
    const value = (key: string): number =>
      factValue(merged.facts.find((f) => f.key === key) as Exclude<Facts["facts"][number], { kind: "latency" | "spread" }>);
    assert.equal(value("failures"), 5);
    // 4,000 operations over 1,000 → 3,000 ms: 2,000/s, not the 1,000 + 2,000 a sum of rates would claim
    assert.equal(value("round_trips_per_s"), 2_000);
    assert.equal(value("client_bytes_per_conn"), 200);
    assert.deepEqual(merged.latencies.rtt, histogramOf(1e6, 2e6, 3e6).toJSON());
  });

  it("merge what a count was counted over by adding it, and forget it when a share did not say", () => {
    const count = (value: number, of?: number): Facts => ({
      facts: [{ kind: "count", layer: "wire", key: "lost", value, ...(of === undefined ? {} : { of }) }],
      latencies: {},
    });
    assert.deepEqual(mergeFacts([count(2, 100), count(0, 50)]).facts, [{ kind: "count", layer: "wire", key: "lost", value: 2, of: 150 }]);
    assert.deepEqual(mergeFacts([count(2, 100), count(1)]).facts, [{ kind: "count", layer: "wire", key: "lost", value: 3 }]);
    // the share answered, as a percent: 100 × done over planned, exact whatever the shares
    const answered = (done: number, planned: number): Facts => ({
      facts: [{ kind: "ratio", layer: "wire", key: "answered_pct", numerator: 100 * done, denominator: planned }],
      latencies: {},
    });
    const merged = mergeFacts([answered(490, 500), answered(500, 500)]).facts[0];
    assert.equal(factValue(merged as Extract<typeof merged, { kind: "ratio" }>), 99);
  });

  it("merge a spread into the spread of all items together", () => {
    const share = (...xs: number[]): Facts => ({ facts: [spreadOf("wire", "round_trips_per_conn", xs)], latencies: {} });
    const merged = mergeFacts([share(100, 100), share(40, 0, 100)]).facts[0];
    assert.equal(merged.kind, "spread");
    const whole = spreadFigures(spreadOf("wire", "k", [100, 100, 40, 0, 100]));
    assert.deepEqual(spreadFigures(merged as Extract<typeof merged, { kind: "spread" }>), whole);
    assert.equal(whole.min, 0);
    assert.equal(whole.max, 100);
    // mean 68, standard deviation 41.2: 60.6 %
    assert.equal(whole.cvPct.toFixed(1), "60.6");
    assert.equal(spreadFigures(spreadOf("wire", "k", [7, 7, 7])).cvPct, 0);
  });

  it("refuse a single measurement that two shares both claim", () => {
    const engine: Facts = { facts: [{ kind: "value", layer: "engine", key: "ops_per_s", value: 1 }], latencies: {} };
    assert.throws(() => mergeFacts([engine, engine]), /single measurement/);
  });
});

describe("splitting a level into shares", () => {
  it("covers every connection once, in even shares that keep global indices", () => {
    const shares = splitShares(50_000, ["ws://a/"], 15_000);
    assert.deepEqual(shares.map((s) => [s.first, s.count]), [[0, 12_500], [12_500, 12_500], [25_000, 12_500], [37_500, 12_500]]);
    const odd = splitShares(7, ["ws://a/"], 3);
    assert.deepEqual(odd.map((s) => [s.first, s.count]), [[0, 3], [3, 2], [5, 2]]);
    assert.deepEqual(splitShares(10, ["ws://a/"], 15_000).map((s) => s.count), [10]);
  });
});

describe(`a level spread over worker and server processes on ${detectRuntime()}`, () => {
  const level = { name: "spread", operations: 1_200, connections: 60, messagesPerConnection: 20, subscribers: 10 };
  let report: Report;
  before(async () => {
    report = await stress().level(level).suite("connection", "message", "permission").connectionsPerProcess(20).warmup(false).run();
  });

  it("holds every connection open at once across three servers, and counts them there", () => {
    const resources = report.json.levels[0].resources!;
    assert.equal(resources.serverProcesses, 3);
    assert.equal(resources.workerProcesses, 3);
    assert.equal(resources.peakSockets, 60);
    const connection = report.json.levels[0].suites[0];
    assert.equal(connection.generator?.processes, 3);
    const metric = (key: string) => connection.metrics.find((m) => m.key === key)?.value;
    assert.equal(metric("server_connections"), 60);
    assert.equal(metric("peak_sockets"), 60);
    assert.equal(metric("failures"), 0);
  });

  it("merges every share's round trips into one exact count", () => {
    const message = report.json.levels[0].suites[1];
    assert.deepEqual(message.errors, []);
    assert.equal(Histogram.fromJSON(message.histograms["wire.rtt"]).count, 60 * 20);
    assert.equal(message.metrics.find((m) => m.key === "starved_connections")?.value, 0);
  });

  it("gives every role its decisions across shares with no wrong one", () => {
    const permission = report.json.levels[0].suites[2];
    const metric = (key: string) => permission.metrics.find((m) => m.key === key)?.value;
    assert.equal(metric("authenticated"), 45);
    // at least one round of the six cases per connection
    assert.equal((metric("allowed") ?? 0) + (metric("denied") ?? 0), 60 * 6);
    assert.equal(metric("wrong_allows"), 0);
    assert.equal(metric("wrong_denies"), 0);
  });
});
