/**
 * A suite's own progress while it runs, from real runs: events arrive during
 * the suite (several of them in its paced phase, which runs for a fixed time
 * whatever the machine), their counts never go back across its capacity and
 * paced phases, the last one holds the count the result holds, the worker
 * processes of a level are merged, and the terminal bar drawn from them moves
 * within the suite.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { stress } from "../mod.ts";
import { ProgressBar } from "../src/cli/progress-bar.ts";
import type { ProgressEvent } from "../src/model/progress-events.ts";
import type { Result, SuiteName, SuiteResult } from "../src/model/result.ts";
import type { SuiteProgress } from "../src/model/suite-progress.ts";
import { SUITES } from "../src/suites/mod.ts";
import { answeredOf } from "../src/suites/suite-table.ts";

type Seen = { events: ProgressEvent[]; result: Result };

async function watched(build: (b: ReturnType<typeof stress>) => ReturnType<typeof stress>, bar?: ProgressBar): Promise<Seen> {
  const events: ProgressEvent[] = [];
  const report = await build(stress().warmup(false)).onProgress((e) => {
    events.push(e);
    bar?.handle(e);
  }).run({ signal: AbortSignal.timeout(120_000) });
  return { events, result: report.json };
}

/** The progress of `suite`, and what came after it: everything between its suite-start and its suite-end. */
function progressOf(seen: Seen, suite: SuiteName): { progress: SuiteProgress[]; endIndex: number } {
  const start = seen.events.findIndex((e) => e.type === "suite-start" && e.suite === suite);
  const endIndex = seen.events.findIndex((e, i) => i > start && e.type === "suite-end");
  const progress = seen.events.slice(start, endIndex).flatMap((
    e,
  ) => (e.type === "suite-progress" && e.suite === suite ? [e.progress] : []));
  return { progress, endIndex };
}

const suiteResult = (result: Result, suite: SuiteName): SuiteResult => result.levels[0].suites.find((s) => s.suite === suite)!;
const metric = (s: SuiteResult, key: string): number => s.metrics.find((m) => m.layer === "wire" && m.key === key)!.value;

/**
 * Within one phase, done never shrinks; the last event is the final one and holds what the result counts over what
 * it planned: `planned`, or more than `planned` when `paced` (the paced phase's requests, set by the capacity measured).
 */
function assertConsistent(progress: SuiteProgress[], result: SuiteResult, planned: number, paced = false): void {
  assert.ok(progress.length > 0, `no progress event for ${result.suite}`);
  for (let i = 1; i < progress.length; i++) {
    const [a, b] = [progress[i - 1], progress[i]];
    if (a.phase === b.phase) assert.ok(b.done >= a.done, `${result.suite}: ${a.phase} went from ${a.done} to ${b.done}`);
  }
  const last = progress.at(-1)!;
  assert.equal(progress.filter((p) => p.final).length, 1, "one final event");
  assert.equal(last.final, true);
  assert.equal(last.phase, answeredOf(result.suite), "the final event counts what the suite exists for");
  if (paced) assert.ok(last.planned > planned, `${last.planned} planned: ${planned} and the paced phase's`);
  else assert.equal(last.planned, planned);
  assert.equal(last.done, Math.round((metric(result, "answered_pct") * last.planned) / 100), "the final count is the result's");
}

describe("a suite's progress through its capacity phase, then its paced phase (two seconds whatever the machine)", () => {
  const level = { name: "paced", operations: 3_000, connections: 20, messagesPerConnection: 150, subscribers: 1 };
  // 3,000 capacity round trips, then 2,000 paced: 1,000/s (--rate) for the 2 s its 2,000 samples take, one count over both
  const planned = 5_000;
  const drawn: string[] = [];
  let seen: Seen;

  before(async () => {
    const bar = new ProgressBar((t) => drawn.push(t), { delayMs: 0, columns: () => 200 });
    try {
      seen = await watched((b) => b.level(level).suite("message").rate(1_000), bar);
    } finally {
      bar.stop();
    }
  });

  it("arrives several times before the suite ends, its count never going back, the last holding the result's count", () => {
    const { progress } = progressOf(seen, "message");
    const before = progress.filter((p) => !p.final && p.phase === "round trips answered");
    assert.ok(before.length >= 3, `${before.length} events before the end of a 3 s suite`);
    assert.ok(before.some((p) => p.done > 0 && p.done < p.planned), "some event caught the suite part-way");
    assertConsistent(progress, suiteResult(seen.result, "message"), planned);
    assert.ok(
      progress.every((p) => p.phase !== "round trips answered" || p.planned === planned),
      "the user's rate is planned from the start",
    );
  });

  it("carries the live rate, the sockets open and the running p99, which ends as the result's", () => {
    const { progress } = progressOf(seen, "message");
    // while connections open, fewer than 20 are: the sockets are judged once the round trips go
    const during = progress.filter((p) => !p.final && p.done > 0 && p.phase === "round trips answered");
    assert.ok(
      during.some((p) => p.perSecond > 100 && p.perSecond < 10_000),
      `rates ${during.map((p) => Math.round(p.perSecond))} around 1,000/s`,
    );
    const seenDuring = during.map((p) => `${p.sockets} sockets, ${p.errors} errors, ${p.generator.processes} processes`);
    assert.ok(during.every((p) => p.sockets === 20 && p.errors === 0 && p.generator.processes === 1), seenDuring.join("; "));
    const last = progress.at(-1)!;
    // the paced phase's histogram: its latency is the one judged
    assert.equal(last.latencyMs?.samples, 2_000);
    assert.equal(last.latencyMs?.p99, metric(suiteResult(seen.result, "message"), "rtt_p99_ms"));
  });

  it("moves the terminal bar within the suite: one line redrawn in place, its count growing", () => {
    const lines = drawn.filter((t) => t.includes("round trips answered"));
    assert.ok(lines.length >= 2, `${lines.length} bars drawn during the suite`);
    // deno-lint-ignore no-control-regex -- the bar redraws its own line: carriage return, erase line
    assert.ok(drawn.every((t) => /^\r\x1b\[2K/.test(t) && !t.includes("\n")));
    const counts = lines.map((l) => Number(/([\d,]+)\/5,000 round trips answered/.exec(l)![1].replaceAll(",", "")));
    assert.ok(new Set(counts).size >= 2, `the bar stood still at ${counts}`);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
    const bar = new RegExp(
      String.raw`^\r\x1b\[2K▕█*░*▏ message 1/1 · [\d,]+/5,000 round trips answered · ETA (?:…|[\d.]+ m?s) · ` +
        // a loaded machine's generator lags: the bar says so
        String.raw`[\d,]+/s · p99 [\d.,]+ ms · 0 errors · (?:generator lag [\d,]+ ms · )?paced [\d.]+ m?s$`,
    );
    // a bar drawn before the first answer has no p99 to show yet (a loaded machine draws one): read one after it
    assert.match(lines.find((l) => !l.includes("engine layer") && !/ 0\/5,000 round trips/.test(l))!, bar);
  });
});

describe("the progress of every other suite", () => {
  const level = { name: "each", operations: 6_000, connections: 40, messagesPerConnection: 100, subscribers: 20 };
  let seen: Seen;
  before(async () => {
    seen = await watched((b) => b.level(level).suite("connection", "subscription", "broadcast", "permission", "compression"));
  });

  it("ends with the count each suite's result holds, over what it planned", () => {
    const planned: Record<string, number> = {
      connection: 40,
      subscription: 40 * 10 * 2,
      broadcast: 20 * (6_000 / 20),
      permission: 40 * 10,
      compression: 2 * 16 * Math.ceil(60 / 16),
    };
    for (const [suite, n] of Object.entries(planned) as Array<[SuiteName, number]>) {
      const result = suiteResult(seen.result, suite);
      // a runtime whose client cannot deflate runs one phase of compression, not two
      const phases = suite === "compression" && !result.metrics.some((m) => m.key === "savings_pct" && m.layer === "wire") ? n / 2 : n;
      assertConsistent(progressOf(seen, suite).progress, result, phases, SUITES[suite].split?.paced !== undefined);
    }
  });

  it("counts the bytes through the compression suite's proxy, never fewer than the last time", () => {
    const bytes = progressOf(seen, "compression").progress.map((p) => p.bytes ?? -1);
    assert.ok(bytes.every((b) => b > 0), `bytes ${bytes}`);
    assert.deepEqual(bytes, [...bytes].sort((a, b) => a - b));
  });
});

describe("the progress of a level spread over worker processes", () => {
  // 30 connections, 10 per process: three workers, each in its own process, then paced for 3.3 s (2,000 samples at 600/s)
  const level = { name: "spread", operations: 1_800, connections: 30, messagesPerConnection: 60, subscribers: 1 };
  let seen: Seen;
  before(async () => {
    seen = await watched((b) => b.level(level).suite("message").rate(600).connectionsPerProcess(10));
  });

  it("merges every worker's counts into one event: all three processes, all 30 sockets, the result's total at the end", () => {
    const { progress } = progressOf(seen, "message");
    const result = suiteResult(seen.result, "message");
    assert.equal(result.generator?.processes, 3, "the level ran in three workers");
    const during = progress.filter((p) => !p.final);
    assert.ok(during.length >= 2, `${during.length} events before the end`);
    // every worker's plan counted from the first event: 30 connections to open, then 1,800 capacity round trips
    // and 3 × 667 paced (200/s each for 3.33 s)
    const planned = (p: SuiteProgress) => (p.phase === "connections opened" ? 30 : 3_801);
    const held = during.map((p) => `${p.generator.processes} processes, ${p.done}/${p.planned} ${p.phase}`).join("; ");
    const whole = during.every((p) => p.generator.processes === 3 && p.planned === planned(p));
    assert.ok(whole, `an event before every worker reported: ${held}`);
    assert.ok(during.some((p) => p.sockets === 30 && p.done > 0 && p.done < 3_801), "an event caught every socket open part-way");
    assertConsistent(progress, result, 3_801);
    assert.equal(progress.at(-1)!.latencyMs?.p99, metric(result, "rtt_p99_ms"), "the merged histograms are the result's");
  });
});

describe("a progress listener that throws", () => {
  it("fails the run with its error, as a listener that throws on any other event does, and is not called again", async () => {
    let calls = 0;
    const run = stress().level("minimal").suite("message").warmup(false).onProgress((e) => {
      if (e.type !== "suite-progress") return;
      calls++;
      throw new Error("the harness's log is full");
    }).run({ signal: AbortSignal.timeout(120_000) });
    await assert.rejects(run, /the harness's log is full/);
    assert.equal(calls, 1);
  });
});
