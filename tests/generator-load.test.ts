/**
 * The generator's own load: CPU, event-loop lag, and the time it waited for a
 * core, which tells a generator busy with its own work from one the machine
 * held back.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { combineLoads, isGeneratorBound, sampleGeneratorLoad } from "../src/load/generator-load.ts";
import { cpuWaitMicros } from "../src/host/system-info.ts";
import { suiteFootnotes } from "../src/report/_sections.ts";
import type { SuiteResult } from "../src/model/result.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("generator load", () => {
  it("reports the share of wall time spent waiting for a core, when the OS tells", async () => {
    let waited = 0;
    const stop = sampleGeneratorLoad(() => 0, () => ({ rssBytes: 1, heapUsedBytes: 1 }), () => (waited += 50_000));
    await sleep(100);
    const load = stop();
    // 50 ms of waiting over at least 100 ms of wall time
    assert.ok(load.cpuWaitPct! > 0 && load.cpuWaitPct! <= 50, String(load.cpuWaitPct));
    const without = sampleGeneratorLoad(() => 0, () => ({ rssBytes: 1, heapUsedBytes: 1 }))();
    assert.equal(without.cpuWaitPct, undefined);
    assert.equal(combineLoads([load, without]).cpuWaitPct, load.cpuWaitPct);
  });

  it("reads the run-queue wait on Linux, and nothing elsewhere", () => {
    const micros = cpuWaitMicros();
    if (process.platform === "linux") assert.ok(typeof micros === "number" && micros >= 0);
    else assert.equal(micros, undefined);
  });

  it("says in the report when a generator-bound process mostly waited for a core", () => {
    const load = { cpuPct: 9, lagP99Ms: 7_500, lagMaxMs: 9_000, maxRssBytes: 1, cpuWaitPct: 95 };
    assert.ok(isGeneratorBound(load));
    const suite = {
      suite: "message",
      status: "ok",
      errors: [],
      notes: [],
      generator: { processes: 4, ...load, bound: true },
    } as unknown as SuiteResult;
    const text = suiteFootnotes(suite).map((f) => f.text).join("\n");
    assert.match(
      text,
      /used 9% of a core, waited for a core 95% of the time \(the cores were busy with other processes\) and lagged 7,500 ms/,
    );
  });
});
