/**
 * The shared suite: every suite at the minimal level over real sockets,
 * against the reference server on the runtime this test runs under (Node,
 * Deno or Bun), started in its own process as a user's run would.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type ProgressEvent, type Report, stress } from "../mod.ts";
import { parseResult, SUITE_NAMES, type SuiteResult } from "../src/model/result.ts";
import { Histogram } from "../src/model/histogram.ts";
import { detectRuntime } from "../src/host/system-info.ts";

const runtime = detectRuntime();
let report: Report;
const events: ProgressEvent[] = [];
const suite = (name: string): SuiteResult => report.json.levels[0].suites.find((s) => s.suite === name)!;
const metric = (s: string, layer: string, key: string): number => {
  const m = suite(s).metrics.find((x) => x.layer === layer && x.key === key);
  assert.ok(m, `${s}.${layer}.${key} is reported`);
  return m.value;
};

describe(`every suite at the minimal level on ${runtime}`, () => {
  before(async () => {
    report = await stress().level("minimal").onProgress((e) => events.push(e)).run();
  });
  after(() => {
    events.length = 0;
  });

  it("ran on this runtime against its own server process, and the result is valid", () => {
    assert.equal(report.json.runtime.name, runtime);
    assert.equal(report.json.server.runtime, runtime);
    assert.equal(report.json.status, "complete");
    assert.deepEqual(report.json.levels[0].suites.map((s) => s.suite), [...SUITE_NAMES]);
    assert.deepEqual(parseResult(JSON.parse(JSON.stringify(report.json))), report.json);
  });

  it("every suite finished with no error", () => {
    for (const s of report.json.levels[0].suites) {
      assert.equal(s.status, "ok", `${s.suite}: ${JSON.stringify(s.errors)}`);
      assert.deepEqual(s.errors, [], s.suite);
    }
  });

  it("connection opened all 10 sockets and timed every handshake", () => {
    assert.equal(metric("connection", "wire", "failures"), 0);
    assert.equal(metric("connection", "wire", "peak_sockets"), 10);
    assert.equal(Histogram.fromJSON(suite("connection").histograms["wire.handshake"]).count, 10);
    assert.ok(metric("connection", "wire", "handshakes_per_s") > 0);
    assert.ok(metric("connection", "engine", "register_ops_per_s") > 0);
  });

  it("message timed all 1,000 round trips", () => {
    assert.equal(Histogram.fromJSON(suite("message").histograms["wire.rtt"]).count, 10 * 100);
    assert.equal(metric("message", "wire", "starved_connections"), 0);
    assert.equal(metric("message", "wire", "round_trips_per_conn_cv_pct"), 0);
    assert.equal(metric("message", "wire", "round_trips_per_conn_min"), metric("message", "wire", "round_trips_per_conn_max"));
    assert.ok(metric("message", "wire", "rtt_p50_ms") <= metric("message", "wire", "rtt_p99_ms"));
    assert.ok(metric("message", "engine", "p95_us") > 0);
  });

  it("subscription got an ack for every subscribe and unsubscribe", () => {
    assert.equal(Histogram.fromJSON(suite("subscription").histograms["wire.ack"]).count, 10 * 20);
    assert.equal(metric("subscription", "wire", "errors"), 0);
  });

  it("broadcast delivered every message to every subscriber exactly once, in order", () => {
    assert.equal(Histogram.fromJSON(suite("broadcast").histograms["wire.latency"]).count, 200 * 5);
    assert.equal(metric("broadcast", "wire", "lost"), 0);
    assert.equal(metric("broadcast", "wire", "duplicated"), 0);
    assert.equal(metric("broadcast", "wire", "out_of_order"), 0);
  });

  it("permission made both decisions and no wrong one", () => {
    assert.ok(metric("permission", "wire", "allowed") > 0);
    assert.ok(metric("permission", "wire", "denied") > 0);
    assert.equal(metric("permission", "wire", "wrong_allows"), 0);
    assert.equal(metric("permission", "wire", "wrong_denies"), 0);
  });

  it("compression measured the wire, or says why it could not", () => {
    const s = suite("compression");
    const savings = s.metrics.find((m) => m.layer === "wire" && m.key === "savings_pct");
    if (savings) assert.ok(savings.value > 0 && savings.value < 100);
    else assert.match(s.notes.join(" "), /cannot negotiate it/);
    assert.ok(metric("compression", "engine", "savings_pct") > 50);
  });

  it("reported progress for the level and each suite", () => {
    assert.deepEqual(events.filter((e) => e.type === "suite-end").map((e) => (e as { result: SuiteResult }).result.suite), [
      ...SUITE_NAMES,
    ]);
    assert.equal(events.at(-1)?.type, "run-end");
  });

  it("renders the same result as markdown and as a terminal table", () => {
    const md = report.markdown();
    assert.match(md, /minimal/);
    assert.match(md, /\| wire +\| round trips +\|/);
    // deno-lint-ignore no-control-regex -- an ANSI escape starts with ESC: matching it is the point
    assert.doesNotMatch(report.terminal(), /\x1b\[/);
  });
});

describe(`an aborted run on ${runtime}`, () => {
  let aborted: Report;
  before(async () => {
    const controller = new AbortController();
    aborted = await stress()
      .level("minimal", "light")
      .suite("connection", "message", "broadcast")
      .onProgress((e) => {
        if (e.type === "suite-end" && e.result.suite === "connection") controller.abort();
      })
      .run({ signal: controller.signal });
  });

  it("keeps the suites it finished and says it was aborted", () => {
    assert.equal(aborted.json.status, "aborted");
    assert.equal(aborted.json.levels.length, 1);
    const [connection, message] = aborted.json.levels[0].suites;
    assert.equal(connection.status, "ok");
    assert.equal(connection.metrics.find((m) => m.key === "failures")?.value, 0);
    assert.ok(message === undefined || message.status === "aborted");
  });
});

describe(`the request/reply suites pipelined on ${runtime}`, () => {
  let pipelined: Report;
  before(async () => {
    pipelined = await stress().level("minimal").suite("message", "subscription", "permission").window(8).warmup(false).run();
  });

  it("keep 8 requests in flight per connection and still get every reply, with no error and no wrong decision", () => {
    const [message, subscription, permission] = pipelined.json.levels[0].suites;
    for (const s of [message, subscription, permission]) assert.deepEqual(s.errors, [], s.suite);
    assert.equal(Histogram.fromJSON(message.histograms["wire.rtt"]).count, 10 * 100);
    // every subscribe acknowledged before its unsubscribe, though both were in flight
    assert.equal(Histogram.fromJSON(subscription.histograms["wire.ack"]).count, 10 * 20);
    const value = (key: string) => permission.metrics.find((m) => m.key === key)?.value;
    assert.equal((value("allowed") ?? 0) + (value("denied") ?? 0), 10 * 10);
    assert.equal(value("wrong_allows"), 0);
    assert.equal(value("wrong_denies"), 0);
  });
});
