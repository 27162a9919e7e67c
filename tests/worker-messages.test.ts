/**
 * The worker protocol is checked at the process boundary, both ways: a
 * worker that sends something outside it is lost (its share counted as
 * `worker_lost` with the problem named) rather than trusted, and the worker
 * entry refuses a line that is not a runner's message with exit code 2.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { levelByName } from "../src/model/levels.ts";
import type { WorkerHandle } from "../src/model/runtime-contract.ts";
import type { Platform } from "../src/run/platform.ts";
import { stress } from "../mod.ts";
import { WorkerPool } from "../src/run/worker-pool.ts";

const WORKER = fileURLToPath(new URL("../src/bin/worker.ts", import.meta.url));

/** A worker process as the pool sees it, which answers every task with `reply`. */
function workerSaying(reply: (task: { id: number }) => unknown): { handle: WorkerHandle; stopped: () => boolean } {
  let stopped = false;
  let onMessage: (message: unknown) => void = () => {};
  const handle: WorkerHandle = {
    pid: 1,
    send: (message) => queueMicrotask(() => onMessage(reply(message as { id: number }))),
    listen: (message) => void (onMessage = message),
    stop: async () => void (stopped = true),
  };
  return { handle, stopped: () => stopped };
}

describe("the worker protocol", () => {
  it("counts a worker that answers outside the protocol as lost, names what was wrong, and stops it", async () => {
    const worker = workerSaying((task) => ({
      type: "done",
      id: task.id,
      facts: { facts: [{ kind: "count", layer: "wire", key: "x", value: "many" }], latencies: {} },
    }));
    const platform = { startWorker: async () => worker.handle } as unknown as Platform;
    const pool = new WorkerPool(platform);
    const plan = stress().level("minimal").suite("message").plan();
    const share = { first: 0, count: 10, urls: ["ws://127.0.0.1:1/"] };
    const [done] = await pool.runShares(
      { suite: "message", level: levelByName("minimal"), plan, shares: [share], serverDeflate: false, connection: {} },
      async () => {},
      new AbortController().signal,
    );
    assert.equal(done.errors[0].class, "worker_lost");
    assert.match(
      done.errors[0].message,
      /not the worker protocol's \(facts\.facts\.0\.value: Invalid type: Expected number but received "many"\)/,
    );
    assert.deepEqual(done.facts, { facts: [], latencies: {} });
    assert.ok(worker.stopped());
  });

  it("counts a worker whose progress is outside the protocol as lost: a negative count, a histogram whose parts disagree", async () => {
    const plan = stress().level("minimal").suite("message").plan();
    const share = { first: 0, count: 10, urls: ["ws://127.0.0.1:1/"] };
    const phase = { label: "round trips answered", planned: 10, done: 4 };
    const readings = [
      { phases: [{ ...phase, done: -1 }], errors: 0, sockets: 10, cpuPct: 5, lagMs: 0 },
      {
        phases: [{ ...phase, latency: { subBucketBits: 8, count: 2, min: 1, max: 1, sum: 2, buckets: [[1, 1]] } }],
        errors: 0,
        sockets: 10,
        cpuPct: 5,
        lagMs: 0,
      },
    ];
    const problems = [/not the worker protocol's \(reading\.phases\.0\.done: /, /bucket counts sum to 1, but count is 2/];
    for (const [i, reading] of readings.entries()) {
      const worker = workerSaying((task) => ({ type: "progress", id: task.id, reading }));
      const pool = new WorkerPool({ startWorker: async () => worker.handle } as unknown as Platform);
      const seen: unknown[] = [];
      const level = levelByName("minimal");
      const task = { suite: "message" as const, level, plan, shares: [share], serverDeflate: false, connection: {} };
      const [done] = await pool.runShares(task, async () => {}, new AbortController().signal, (_, r) => seen.push(r));
      assert.equal(done.errors[0].class, "worker_lost");
      assert.match(done.errors[0].message, problems[i]);
      assert.deepEqual(seen, [], "nothing of it reached the progress");
      assert.ok(worker.stopped());
    }
  });

  it("makes the worker entry refuse a line that is not a runner's message, exit code 2", () => {
    const { command, args } = runtimeCommand(detectRuntime(), WORKER);
    const run = spawnSync(command, args, { input: '{"type":"wire","id":1,"suite":"no such suite"}\n', encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.match(
      run.stderr,
      /wsstress worker: not a message of the worker protocol: suite: Invalid format: Expected .* but received "no such suite"/,
    );
  });
});
