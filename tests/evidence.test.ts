/**
 * A verdict needs evidence: figures built with a known number of samples and
 * a known spread, so each rule is checked exactly, with no timing in the test.
 * A rate over too little, a percentile over too few samples and a throughput
 * the level's own concurrency capped are shown but never ✅ or ❌; the closed
 * loop's latency is shown as the queue it is, and the paced one is judged.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Histogram } from "../src/model/histogram.ts";
import type { Fact, Facts } from "../src/model/facts.ts";
import { type Metric, SCHEMA_VERSION } from "../src/model/result.ts";
import { figuresOf } from "../src/run/suite-figures.ts";
import { SuiteRecorder } from "../src/suites/suite-recorder.ts";
import { recordMemory } from "../src/suites/_memory-per-connection.ts";
import { resultFromText } from "../src/cli/_read.ts";
import { sampleResult } from "./_results.ts";

/** `count` samples of `ms` milliseconds each */
const samples = (count: number, ms: number) => {
  const h = new Histogram();
  h.recordMany(ms * 1e6, count);
  return h.toJSON();
};
const rate = (key: string, ops: number, spanMs: number): Fact => ({
  kind: "rate",
  layer: "wire",
  key,
  ops,
  startMs: 1_000,
  endMs: 1_000 + spanMs,
});
const count = (key: string, value: number): Fact => ({ kind: "count", layer: "wire", key, value });
const latency = (key: string): Fact => ({ kind: "latency", layer: "wire", key });
const metricsOf = (facts: Fact[], latencies: Facts["latencies"] = {}): Map<string, Metric> =>
  new Map(figuresOf("message", { facts, latencies }, { thresholds: {} }).metrics.map((m) => [m.key, m]));

describe("a rate needs 1,000 events over a second before it is judged", () => {
  it("shows a rate over too few events or too short a span, marked too few samples to judge, never ✅ or ❌", () => {
    for (const [ops, span] of [[1_000, 28], [10, 10], [900, 5_000]]) {
      const m = metricsOf([rate("round_trips_per_s", ops, span)]).get("round_trips_per_s")!;
      assert.equal(m.verdict, "none", `${ops} over ${span} ms`);
      assert.match(
        m.unjudged ?? "",
        /^too few samples to judge: [\d,]+ events over [\d.,]+ (ms|s) \(a rate is judged from 1,000 events over 1\.0 s\)$/,
      );
      assert.equal(m.samples, ops);
    }
  });

  it("judges a rate over enough of both", () => {
    const m = metricsOf([rate("round_trips_per_s", 60_000, 2_000)]).get("round_trips_per_s")!;
    assert.equal(m.value, 30_000);
    assert.equal(m.verdict, "warn");
    assert.equal(m.unjudged, undefined);
  });
});

describe("a percentile needs ten samples beyond it before it is judged", () => {
  it("labels the p99 of 10 samples as their maximum, and judges it not", () => {
    const m = metricsOf([latency("rtt")], { rtt: samples(10, 80) });
    const p99 = m.get("rtt_p99_ms")!;
    assert.equal(p99.label, "RTT at load p99 (= max of 10)");
    assert.equal(p99.verdict, "none");
    assert.equal(p99.unjudged, "too few samples to judge: the p99 of 10 samples is their maximum (a p99 is judged from 1,000)");
    assert.equal(m.get("rtt_p95_ms")!.label, "RTT at load p95 (= max of 10)");
    assert.equal(m.get("rtt_p50_ms")!.label, "RTT at load p50");
  });

  it("does not judge a p99 of 999 samples, and judges one of 1,000, ❌ included", () => {
    assert.equal(metricsOf([latency("rtt")], { rtt: samples(999, 80) }).get("rtt_p99_ms")!.verdict, "none");
    const judged = metricsOf([latency("rtt")], { rtt: samples(1_000, 80) }).get("rtt_p99_ms")!;
    assert.equal(judged.verdict, "fail");
    assert.equal(judged.samples, 1_000);
  });
});

describe("capacity and latency at load", () => {
  const facts = [rate("round_trips_per_s", 50_000, 2_000), latency("queued_rtt"), count("in_flight", 1_000), latency("rtt")];
  const m = metricsOf(facts, { queued_rtt: samples(50_000, 40), rtt: samples(2_000, 2) });

  it("shows the closed loop's latency as its queue, with Little's law, and judges none of it", () => {
    for (const key of ["queued_rtt_p50_ms", "queued_rtt_p99_ms", "queued_rtt_max_ms"]) {
      assert.equal(m.get(key)!.verdict, "none", key);
      assert.equal(m.get(key)!.threshold, undefined, key);
      assert.match(m.get(key)!.label, /^closed-loop RTT \(queueing\)/);
    }
    // 1,000 in flight ÷ 25,000 round trips/s
    assert.equal(m.get("littles_law_ms")!.value, 40);
  });

  it("judges the paced phase's latency against the threshold", () => {
    assert.equal(m.get("rtt_p99_ms")!.verdict, "pass");
    assert.equal(m.get("round_trips_per_s")!.verdict, "warn");
  });

  it("shows a throughput the level's own concurrency capped unjudged, and lets a pass stand", () => {
    // 10 in flight ÷ 1 ms allow 10,000/s: 9,723/s barely queued
    const bound = (perSec: number, inFlight: number) =>
      metricsOf([rate("round_trips_per_s", perSec * 2, 2_000), count("in_flight", inFlight), latency("rtt")], { rtt: samples(2_000, 1) })
        .get("round_trips_per_s")!;
    const capped = bound(9_723, 10);
    assert.equal(capped.verdict, "none");
    assert.match(
      capped.unjudged ?? "",
      /^bound by the level's concurrency: 10 in flight ÷ 1(\.\d+)? ms \(the paced median\) allow \d+,\d{3}\/s, and the closed loop reached 9\d % of that/,
    );
    assert.equal(bound(45_000, 60).verdict, "pass", "above its threshold, a bound throughput still shows the server did at least that");
    assert.equal(bound(9_723, 160).verdict, "fail", "160 in flight queued: the capacity is the server's");
  });
});

describe("memory per connection", () => {
  const MiB = 2 ** 20;
  const at = (rss: number, heap: number, collected = true) => ({ rssBytes: rss * MiB, heapUsedBytes: heap * MiB, collected });
  const measure = (added: number, before: ReturnType<typeof at>, after: ReturnType<typeof at>) => {
    const record = new SuiteRecorder();
    recordMemory(record, "client", before, after, added);
    return record;
  };

  it("is not measurable at a tiny level, and says so instead of showing a figure", () => {
    const record = measure(10, at(100, 20), at(99.8, 19.9));
    assert.deepEqual(record.facts, []);
    assert.match(
      record.notes[0],
      /^client memory per connection not measurable: RSS grew -0\.2 MiB over 10 connections, and it needs 1,000 connections/,
    );
  });

  it("shows no negative or tiny growth as a measurement, whatever the connections", () => {
    assert.deepEqual(measure(5_000, at(100, 20), at(97, 21)).facts, []);
    assert.deepEqual(measure(5_000, at(100, 20, false), at(140, 30, false)).facts, [], "without a forced collection");
  });

  it("reports RSS and heap per connection where the connections dominate the growth", () => {
    const record = measure(5_000, at(100, 20), at(140, 30));
    assert.deepEqual(record.facts.map((f) => [f.key, f.kind === "ratio" && f.numerator / f.denominator]), [
      ["client_bytes_per_conn", (40 * MiB) / 5_000],
      ["client_heap_per_conn", (10 * MiB) / 5_000],
    ]);
  });
});

describe("a result of an older schema", () => {
  it("is read as it is, its version kept (its latencies are the closed loop's), as version 1 was when 2 came", () => {
    for (const schemaVersion of [1, 2] as const) {
      const old = resultFromText("old.json", JSON.stringify({ ...sampleResult(), schemaVersion }));
      assert.equal(old.schemaVersion, schemaVersion);
    }
    assert.equal(SCHEMA_VERSION, 3);
  });
});
