/**
 * The broadcast knee: a bounded search over fixed delivery rates for the
 * highest one whose p99 holds a bound. The search order is checked on its
 * own; one real search runs end to end on a tiny level.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Report, stress } from "../mod.ts";
import { type KneeStep, MAX_STEPS, nextRate, runStep } from "../src/suites/_broadcast-knee.ts";
import type { LoadConnection } from "../src/load/pool.ts";
import { wsstressProfile, wsstressSession } from "../src/profiles/wsstress.ts";
import { type SuiteContext, SuiteRecorder } from "../src/suites/mod.ts";
import { detectRuntime } from "../src/host/system-info.ts";

const step = (deliveriesPerSec: number, passed: boolean): KneeStep => ({
  deliveriesPerSec,
  achievedPerSec: deliveriesPerSec,
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
    assert.match(note ?? "", /fixed-rate steps of 1 s \(at most 8\): [\d,]+ deliveries\/s asked, [\d,]+ deliveries\/s achieved/);
    if (knee !== undefined) assert.ok(metric("knee_asked_deliveries_per_s")! > 0);
    assert.equal(report.json.plan.p99BoundMs, 50);
  });

  it("is off unless asked for, and refuses a bound that is not above 0", () => {
    assert.equal(stress().plan().p99BoundMs, undefined);
    assert.throws(() => stress().p99Bound(0), /^RangeError: p99Bound: 0 is not above 0; allowed: a number of milliseconds above 0$/);
  });
});

describe("one fixed-rate step of the knee", () => {
  /**
   * A publisher and two subscribers on a fake server that fans each publish out when it gets round to it: at once,
   * or one publish every `everyMs` (a server slower than the rate asked). The stamps the publisher sent are kept.
   */
  const step = async (everyMs: number) => {
    const stamps: number[] = [];
    const queue: string[] = [];
    const conn = (index: number, send: (data: string) => void): LoadConnection =>
      ({
        index,
        open: true,
        session: wsstressSession,
        onReply: () => {},
        onGone: () => {},
        socket: { send, close() {}, bufferedAmount: 0, extensions: "", protocol: "" },
      }) as LoadConnection;
    const subscribers = [conn(0, () => {}), conn(1, () => {})];
    const fanOut = (frame: string): void => {
      const pub = JSON.parse(frame) as { ch: string; seq: number; ts: number; p: string };
      for (const s of subscribers) s.onReply({ op: "msg", ch: pub.ch, seq: pub.seq, ts: pub.ts, p: pub.p }, performance.now());
    };
    const publisher = conn(2, (frame) => {
      stamps.push((JSON.parse(frame) as { ts: number }).ts);
      if (everyMs === 0) queueMicrotask(() => fanOut(frame));
      else queue.push(frame);
    });
    const drain = everyMs === 0 ? undefined : setInterval(() => queue.length > 0 && fanOut(queue.shift()!), everyMs);
    const ctx = {
      profile: wsstressProfile,
      record: new SuiteRecorder(),
      signal: new AbortController().signal,
      plan: { timeoutMs: 3_000 },
    } as unknown as SuiteContext;
    try {
      // 400 deliveries/s to 2 subscribers: a publish every 5 ms, for 0.5 s
      const outcome = await runStep(
        { ctx, subscribers, publisher, subscribed: 2, channel: "public.k", payload: "x", firstSeq: 0 },
        400,
        0,
        1_000,
        500,
      );
      return { outcome, stamps };
    } finally {
      clearInterval(drain);
    }
  };

  it("stamps every publish with its intended time, not the moment it left", async () => {
    const { stamps } = await step(0);
    assert.equal(stamps.length, 100);
    for (let i = 1; i < stamps.length; i++) {
      assert.ok(Math.abs(stamps[i] - stamps[i - 1] - 5) < 1e-6, `publish ${i}: ${stamps[i] - stamps[i - 1]} ms after the one before`);
    }
  });

  it("reports the rate it achieved beside the rate it asked for", async () => {
    const fast = (await step(0)).outcome.result;
    assert.equal(fast.deliveriesPerSec, 400);
    assert.equal(fast.lost, 0);
    // a server that fans out one publish every 10 ms delivers half the asked rate
    const slow = (await step(10)).outcome.result;
    assert.equal(slow.deliveriesPerSec, 400);
    assert.ok(
      slow.achievedPerSec < 0.75 * 400 && slow.achievedPerSec < fast.achievedPerSec,
      `${slow.achievedPerSec} achieved, ${fast.achievedPerSec} at full speed`,
    );
  });
});
