import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { stress } from "../mod.ts";
import { barLine, ProgressBar } from "../src/cli/progress-bar.ts";
import { levelByName } from "../src/model/levels.ts";
import type { ProgressEvent } from "../src/model/progress-events.ts";
import type { SuiteResult } from "../src/model/result.ts";

const suiteResult = (suite: SuiteResult["suite"]): SuiteResult => ({
  suite,
  status: "ok",
  durationMs: 1,
  metrics: [],
  histograms: {},
  errors: [],
  notes: [],
  verdict: "none",
});

describe("barLine", () => {
  it("fills the bar by finished suites and puts the ETA at the mean suite time times the suites left", () => {
    const line = barLine({ level: "medium", done: 2, total: 6, current: "broadcast", elapsedMs: 10_000 }, 200, 12);
    assert.equal(line, "▕████░░░░░░░░▏ 2/6 suites · medium · broadcast · 10.0 s · ETA 20.0 s");
  });

  it("inside a suite, fills the bar by the phase's share done and gives its count, ETA, rate, p99 and errors", () => {
    const progress = {
      phase: "round trips answered",
      done: 25_000,
      planned: 100_000,
      perSecond: 12_345.6,
      etaMs: 6_000,
      elapsedMs: 2_000,
      errors: 3,
      sockets: 1_000,
      latencyMs: { p50: 1, p95: 3, p99: 4.1, max: 9, samples: 25_000 },
      generator: { cpuPct: 40, lagMs: 2, processes: 1 },
      final: false,
    };
    const line = barLine({ level: "medium", done: 1, total: 6, current: "message", elapsedMs: 14_200, progress }, 200, 12);
    assert.equal(
      line,
      "▕███░░░░░░░░░▏ message 2/6 · 25,000/100,000 round trips answered · ETA 6.0 s · 12,346/s · p99 4.10 ms · 3 errors · medium 14.2 s",
    );
    const lagging = { ...progress, generator: { cpuPct: 99, lagMs: 120, processes: 2 }, bytes: 2_048 };
    const at = { level: "medium", done: 1, total: 6, elapsedMs: 1 };
    assert.match(
      barLine({ ...at, current: "compression", progress: lagging }, 300),
      /3 errors · 2.0 KiB proxied · generator lag 120 ms · /,
    );
    const final = barLine({ ...at, current: "message", progress: { ...progress, done: 100_000, final: true } }, 200, 12);
    assert.match(final, /^▕████████████▏ message 2\/6 · 100,000\/100,000 round trips answered · engine layer · p99/);
  });

  it("gives no ETA before the first suite has finished, and is cut to the terminal's width", () => {
    assert.match(barLine({ level: "high", done: 0, total: 3, elapsedMs: 2_500 }), /0\/3 suites · high · 2.5 s · ETA …$/);
    assert.equal([...barLine({ level: "high", done: 1, total: 3, elapsedMs: 2_500 }, 30)].length, 29);
  });
});

describe("ProgressBar", () => {
  it("draws only once the level has run for the delay, erases itself before other lines, and stops with the level", () => {
    const written: string[] = [];
    const bar = new ProgressBar((t) => written.push(t), { delayMs: 0 });
    const level = levelByName("minimal");
    const events: ProgressEvent[] = [
      {
        type: "run-start",
        plan: stress().level("minimal").suite("message", "broadcast").plan(),
        server: { url: "ws://127.0.0.1:1/", runtime: "node", embedded: true, perMessageDeflate: true },
        startedAt: new Date(0).toISOString(),
        runtime: { name: "node", version: "24" },
        machine: { os: "linux", arch: "x64", cpuModel: "x", cores: 1, memoryBytes: 1 },
      },
      { type: "level-start", level, index: 0, total: 1 },
      { type: "suite-start", level, suite: "message" },
      { type: "suite-end", level, result: suiteResult("message") },
    ];
    try {
      for (const e of events) bar.handle(e);
      bar.draw();
      // deno-lint-ignore no-control-regex -- an ANSI escape starts with ESC: matching it is the point
      assert.match(written.at(-1)!, /^\r\x1b\[2K▕█+░+▏ 1\/2 suites · minimal · /);
      bar.clear();
      assert.equal(written.at(-1), "\r\x1b[2K");
      const before = written.length;
      bar.clear();
      assert.equal(written.length, before, "nothing to erase twice");
      bar.handle({
        type: "level-end",
        result: { level, startedAt: new Date(0).toISOString(), durationMs: 1, suites: [], verdict: "none" },
      });
      bar.draw();
      assert.equal(written.length, before, "no bar between levels");
    } finally {
      bar.stop();
    }
  });

  it("stays silent while a level is younger than the delay", () => {
    const written: string[] = [];
    const bar = new ProgressBar((t) => written.push(t), { delayMs: 60_000 });
    try {
      bar.handle({ type: "level-start", level: levelByName("minimal"), index: 0, total: 1 });
      bar.draw();
      assert.deepEqual(written, []);
    } finally {
      bar.stop();
    }
  });
});
