/**
 * `mergeShards` and the slicing of a plan: shards built by hand from raw
 * facts (as a sharded run writes them), merged, and checked against figures
 * computed from all the samples at once; every refusal named.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { levelVerdict, overallVerdict, suiteVerdict } from "../src/analysis/verdicts.ts";
import { analyze } from "../src/report/analysis-section.ts";
import { Histogram } from "../src/model/histogram.ts";
import { levelByName } from "../src/model/levels.ts";
import { MergeError, mergeShards, type ShardInput } from "../src/run/merge-shards.ts";
import { sliceOf } from "../src/load/placement.ts";
import { planFingerprint } from "../src/run/plan-fingerprint.ts";
import { checkStartAt, MAX_START_AHEAD_MS, waitUntil } from "../src/run/start-at.ts";
import { defineProtocol, stress } from "../mod.ts";
import type { Fact, Facts } from "../src/model/facts.ts";
import { figuresOf } from "../src/run/suite-figures.ts";
import { type LevelResult, parseResult, type Plan, type Result, type SuiteResult } from "../src/model/result.ts";
import { spread } from "./_results.ts";

const PLAN: Plan = {
  levels: [levelByName("minimal"), levelByName("light")],
  suites: ["message", "permission"],
  thresholds: {},
  window: 1,
  timeoutMs: 10_000,
  warmup: true,
};

const histogramOf = (ms: number[]): Histogram => {
  const h = new Histogram();
  for (const v of ms) h.record(v * 1e6);
  return h;
};

/** What one shard measured of one suite at one level: raw facts, as `run-suite.ts` keeps them. */
function suiteOf(plan: Plan, name: "message" | "permission", facts: Facts, errors: SuiteResult["errors"] = []): SuiteResult {
  const figures = figuresOf(name, facts, plan);
  const s: SuiteResult = {
    suite: name,
    status: "ok",
    durationMs: 500,
    metrics: figures.metrics,
    histograms: figures.histograms,
    errors,
    notes: figures.notes,
    verdict: "none",
    facts: facts.facts,
  };
  return { ...s, verdict: suiteVerdict(s) };
}

type ShardSpec = {
  index: number;
  count: number;
  plan?: Plan;
  levels?: number;
  status?: Result["status"];
  engine?: boolean;
  wrongAllows?: number;
};

/** Shard `index` of `count`: message round trips and permission decisions on its slice of the connections. */
function shard(spec: ShardSpec): Result {
  const plan: Plan = { ...(spec.plan ?? PLAN), shard: { index: spec.index, count: spec.count } };
  const levels: LevelResult[] = plan.levels.slice(0, spec.levels ?? plan.levels.length).map((level, li) => {
    const { count } = sliceOf(level.connections, plan.shard);
    const t0 = 1_000_000 + li * 10_000 + spec.index * 100;
    const engine: Fact[] = spec.engine ?? spec.index === 0
      ? [{ kind: "value", layer: "engine", key: "ops_per_s", value: 120_000 - li * 10_000 }]
      : [];
    const message = suiteOf(plan, "message", {
      facts: [
        {
          kind: "rate",
          layer: "wire",
          key: "round_trips_per_s",
          ops: count * level.messagesPerConnection,
          startMs: t0,
          endMs: t0 + 1_000 + spec.index * 50,
        },
        { kind: "latency", layer: "wire", key: "rtt" },
        { kind: "count", layer: "wire", key: "errors", value: spec.index },
        ...engine,
      ],
      latencies: { rtt: histogramOf(spread(count * 10, 1 + spec.index, 7 + spec.index + li)).toJSON() },
    }, spec.index > 0 ? [{ class: "timeout", count: spec.index, message: `shard ${spec.index} timed out` }] : []);
    const permission = suiteOf(plan, "permission", {
      facts: [
        { kind: "count", layer: "wire", key: "allowed", value: count * 3 },
        { kind: "count", layer: "wire", key: "wrong_allows", value: spec.wrongAllows ?? 0 },
      ],
      latencies: {},
    });
    // shard 1 spread its load over 2 worker processes; the others ran it in their own process
    const resources = {
      peakRssBytes: 100e6 * (spec.index + 1),
      peakSockets: 0,
      serverProcesses: 0,
      workerProcesses: spec.index === 1 ? 2 : 0,
    };
    const l: LevelResult = {
      level,
      startedAt: new Date(t0).toISOString(),
      durationMs: 2_000,
      suites: [message, permission],
      verdict: "none",
      resources,
    };
    return { ...l, verdict: levelVerdict(l) };
  });
  return parseResult({
    schemaVersion: 1,
    tool: { name: "wsstress", version: "0.1.0" },
    runtime: { name: "node", version: "24.21.0" },
    machine: { os: "linux", arch: "x64", cpuModel: `CPU ${spec.index}`, cores: 2, memoryBytes: 2 ** 33 },
    server: { url: "ws://127.0.0.1:9000/", runtime: "external", embedded: false, perMessageDeflate: true },
    plan,
    startedAt: new Date(1_000_000).toISOString(),
    finishedAt: new Date(1_100_000).toISOString(),
    durationMs: 100_000,
    status: spec.status ?? (levels.length === plan.levels.length ? "complete" : "partial"),
    levels,
    analysis: analyze(levels),
    verdict: overallVerdict(levels),
    shard: { index: spec.index, count: spec.count, planFingerprint: planFingerprint(plan) },
  });
}

const inputs = (...results: Result[]): ShardInput[] =>
  results.map((result, i) => ({ name: `shard-${result.shard?.index ?? "x"}-${i}.json`, result }));
const metric = (r: Result, level: number, suite: string, key: string): number | undefined =>
  r.levels[level].suites.find((s) => s.suite === suite)?.metrics.find((m) => m.key === key)?.value;

describe("slicing a plan into shards", () => {
  it("gives every item to exactly one shard, in contiguous even slices", () => {
    for (const [total, n] of [[100, 3], [10, 4], [2, 3], [99_000, 7]] as const) {
      const slices = Array.from({ length: n }, (_, index) => sliceOf(total, { index, count: n }));
      assert.equal(slices.reduce((sum, s) => sum + s.count, 0), total);
      slices.forEach((s, i) => i > 0 && assert.equal(s.first, slices[i - 1].first + slices[i - 1].count));
      assert.ok(Math.max(...slices.map((s) => s.count)) - Math.min(...slices.map((s) => s.count)) <= 1);
    }
    assert.deepEqual(sliceOf(100, undefined), { first: 0, count: 100 });
  });

  it("fingerprints the plan without its slice and start time, and tells plans apart", () => {
    const a = stress().level("light").suite("message").shard(0, 3).startAt(new Date(Date.now() + 1_000)).plan();
    const b = stress().level("light").suite("message").shard(2, 3).plan();
    const other = stress().level("light").suite("message").window(4).shard(0, 3).plan();
    assert.equal(planFingerprint(a), planFingerprint(b));
    assert.notEqual(planFingerprint(a), planFingerprint(other));
    assert.match(planFingerprint(a), /^[0-9a-f]{16}$/);
  });

  it("refuses a shard outside 0 ≤ index < count in the API", () => {
    assert.throws(() => stress().shard(3, 3), /shard.*index runs from 0 to count − 1/);
    assert.throws(() => stress().shard(0, 0), /shard/);
    assert.throws(() => stress().shard(1.5, 3), /shard/);
  });

  it("refuses a knee search split over shards, and names a custom profile by name only in the fingerprint", () => {
    assert.throws(() => stress().p99Bound(20).shard(0, 3).plan(), /p99Bound.*cannot be split over shards/);
    const base = stress().level("light").suite("message").target("ws://127.0.0.1:9/");
    // as run() records a loaded profile module: its own name, and the path this machine found it at
    const echo = { name: "my-echo", echo: { request: (p: string) => p, reply: (f: string) => f } };
    const here = base.profile(defineProtocol(echo, "/home/a/profile.ts")).shard(0, 2).plan();
    const there = base.profile(defineProtocol(echo, "/srv/b/profile.ts")).shard(1, 2).plan();
    assert.equal(planFingerprint(here), planFingerprint(there));
  });
});

describe("the start time of sharded runs", () => {
  it("takes ISO 8601 with a zone and refuses garbage, a missing zone and a far future", () => {
    const now = Date.parse("2026-01-31T12:00:00Z");
    assert.equal(checkStartAt("2026-01-31T13:30:00+01:00", now), "2026-01-31T12:30:00.000Z");
    assert.equal(checkStartAt("2026-01-31T11:00:00Z", now), "2026-01-31T11:00:00.000Z");
    assert.throws(() => checkStartAt("tomorrow", now), /is not a time; allowed: an ISO 8601 time with a zone/);
    assert.throws(() => checkStartAt("2026-01-31T12:05:00", now), /is not a time/);
    assert.throws(() => checkStartAt(new Date(now + MAX_START_AHEAD_MS + 60_000), now), /more than 24 h ahead/);
  });

  it("waits until the time, and stops waiting at once on abort", async () => {
    assert.equal(await waitUntil(Date.now() - 1_000, new AbortController().signal), 0);
    assert.ok((await waitUntil(Date.now() + 30, new AbortController().signal)) > 0);
    const controller = new AbortController();
    // without the abort this would wait for hours, past every test runner's timeout
    const waiting = waitUntil(Date.now() + MAX_START_AHEAD_MS, controller.signal);
    controller.abort();
    assert.ok((await waiting) < MAX_START_AHEAD_MS);
  });
});

describe("merging the shards of one plan", () => {
  const shards = [shard({ index: 0, count: 3 }), shard({ index: 1, count: 3 }), shard({ index: 2, count: 3 })];

  it("adds every count, takes rates over the union of the spans and percentiles from the merged histograms", () => {
    const merged = mergeShards(inputs(shards[2], shards[0], shards[1]));
    assert.deepEqual(merged.merged, { shards: 3, planFingerprint: shards[0].shard!.planFingerprint });
    assert.equal(merged.shard, undefined);
    assert.equal(merged.plan.shard, undefined);
    assert.equal(merged.status, "complete");
    for (const [li, level] of PLAN.levels.entries()) {
      assert.equal(metric(merged, li, "permission", "allowed"), level.connections * 3);
      assert.equal(metric(merged, li, "message", "errors"), 0 + 1 + 2);
      // all round trips over the union of the spans: the last shard starts 200 ms late and runs 100 ms longer
      assert.equal(metric(merged, li, "message", "round_trips_per_s"), (level.connections * level.messagesPerConnection * 1_000) / 1_300);
      const all = new Histogram();
      for (const s of shards) all.merge(Histogram.fromJSON(s.levels[li].suites[0].histograms["wire.rtt"]));
      assert.deepEqual(merged.levels[li].suites[0].histograms["wire.rtt"], all.toJSON());
      for (const q of [50, 95, 99] as const) assert.equal(metric(merged, li, "message", `rtt_p${q}_ms`), all.percentile(q) / 1e6);
      // the engine layer comes from shard 0 alone
      assert.equal(metric(merged, li, "message", "ops_per_s"), 120_000 - li * 10_000);
    }
    assert.deepEqual(merged.levels[0].suites[0].errors, [{ class: "timeout", count: 3, message: "shard 1 timed out" }]);
    assert.equal(merged.machine.cores, 6);
    assert.equal(merged.analysis.degradation.length > 0, true);
  });

  it("adds up the memory and the generator processes of every shard", () => {
    const resources = mergeShards(inputs(...shards)).levels[0].resources!;
    assert.equal(resources.peakRssBytes, 600e6);
    // 1 + 2 + 1: a shard without workers still generated load in its own process
    assert.equal(resources.workerProcesses, 4);
  });

  it("recomputes verdicts: one shard's wrong allow fails the merged run", () => {
    const merged = mergeShards(inputs(shards[0], shard({ index: 1, count: 3, wrongAllows: 1 }), shards[2]));
    assert.equal(metric(merged, 0, "permission", "wrong_allows"), 1);
    assert.equal(merged.levels[0].suites[1].verdict, "fail");
    assert.equal(merged.verdict, "fail");
  });

  it("keeps every level all shards finished, and is partial when one stopped early", () => {
    const merged = mergeShards(inputs(shards[0], shard({ index: 1, count: 3, levels: 1 }), shards[2]));
    assert.equal(merged.status, "partial");
    assert.deepEqual(merged.levels.map((l) => l.level.name), ["minimal"]);
    const aborted = mergeShards(inputs(shards[0], shards[1], shard({ index: 2, count: 3, levels: 1, status: "aborted" })));
    assert.equal(aborted.status, "aborted");
  });

  it("refuses a missing shard, naming it", () => {
    assert.throws(
      () => mergeShards(inputs(shards[0], shards[2])),
      (e: Error) => e instanceof MergeError && /missing shard 1\/3/.test(e.message),
    );
  });

  it("refuses a shard given twice", () => {
    assert.throws(
      () => mergeShards(inputs(shards[0], shards[1], shards[1], shards[2])),
      /shard 1\/3 given more than once: shard-1-1.json, shard-1-2.json/,
    );
  });

  it("refuses shards of different counts", () => {
    assert.throws(() => mergeShards(inputs(shards[0], shard({ index: 1, count: 2 }))), /shards of different counts/);
  });

  it("refuses shards of different plans, saying what differs", () => {
    const other = shard({ index: 1, count: 3, plan: { ...PLAN, window: 8 } });
    assert.throws(() => mergeShards(inputs(shards[0], other, shards[2])), /ran a different plan from shard-0-0.json \(window: 1 ≠ 8\)/);
  });

  it("refuses a result that is no shard, and a shard whose plan was edited", () => {
    const { shard: _, ...plain } = shards[1];
    assert.throws(() => mergeShards(inputs(shards[0], plain as Result, shards[2])), /is not a shard result/);
    const edited = { ...shards[1], plan: { ...shards[1].plan, window: 2 } };
    assert.throws(() => mergeShards(inputs(shards[0], edited, shards[2])), /does not match its fingerprint/);
  });

  it("refuses two shards that both claim the single engine measurement", () => {
    assert.throws(() => mergeShards(inputs(shards[0], shard({ index: 1, count: 3, engine: true }), shards[2])), /single measurement/);
  });
});
