/**
 * The server under test, in its own process, killed with SIGKILL in the
 * middle of a level: the run ends, not complete; the suite that was cut
 * counts its lost connections and fails (the server closed every one of
 * them), the suite after it counts failed connects and fails (it measured
 * nothing), and the level before it is intact.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { type Report, stress } from "../mod.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { startServerProcess } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { ServerProcess } from "../src/model/runtime-contract.ts";
import { askServerStats } from "../src/load/server-stats.ts";

const runtime = detectRuntime();
const RUN_BOUND_MS = 90_000;
const first = { name: "first", operations: 80, connections: 4, messagesPerConnection: 20, subscribers: 2 };
/** 400,000 round trips: far more than can finish before the kill lands */
const doomed = { name: "doomed", operations: 400_000, connections: 4, messagesPerConnection: 100_000, subscribers: 2 };

describe(`the server process killed mid-level on ${runtime}`, () => {
  let server: ServerProcess;
  let report: Report;
  let ms = 0;
  let killedWhileOpen = 0;

  before(async () => {
    server = await startServerProcess(runtime, { perMessageDeflate: false, timeoutMs: 10_000 });
    const client = await currentRuntime();
    const started = Date.now();
    report = await stress()
      .levels(first, doomed)
      .suite("message", "subscription")
      .target(server.url)
      .timeout(2_000)
      .warmup(false)
      .onProgress((event) => {
        if (event.type !== "suite-start" || event.level.name !== "doomed" || event.suite !== "message") return;
        // kill once the level's connections are open and busy (the stats probe is one more; an earlier
        // probe the server has not yet seen close may be counted too, hence the short wait after)
        void (async () => {
          for (let i = 0; i < 200; i++) {
            const stats = await askServerStats(client, server.url, 1_000);
            if ((stats?.connections ?? 0) > doomed.connections) {
              killedWhileOpen = stats!.connections - 1;
              break;
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 300));
          process.kill(server.pid, "SIGKILL");
        })();
      })
      .run();
    ms = Date.now() - started;
  });
  after(() => server.stop());

  it("ends within the bound, runs every level and suite it was asked for, and is not complete", () => {
    assert.ok(ms < RUN_BOUND_MS, `${ms} ms`);
    assert.equal(report.json.status, "partial");
    assert.deepEqual(report.json.levels.map((l) => l.suites.map((s) => s.suite)), [["message", "subscription"], [
      "message",
      "subscription",
    ]]);
    assert.equal(report.json.levels[1].verdict, "fail");
    assert.equal(report.json.verdict, "fail");
  });

  it("keeps the level before the kill intact", () => {
    for (const s of report.json.levels[0].suites) {
      assert.equal(s.status, "ok", s.suite);
      assert.deepEqual(s.errors, [], s.suite);
    }
  });

  it("counts the lost connections and the unanswered requests of the suite that was cut", () => {
    assert.ok(killedWhileOpen >= doomed.connections, `the kill landed while the level's connections were open (${killedWhileOpen})`);
    const message = report.json.levels[1].suites[0];
    const count = (cls: string): number => message.errors.find((e) => e.class === cls)?.count ?? 0;
    assert.equal(count("connection_lost"), doomed.connections, JSON.stringify(message.errors));
    // requests on a connection that died are counted at once as lost, not waited out as timeouts
    assert.ok(count("lost_request") > 0, JSON.stringify(message.errors));
    assert.ok(message.metrics.some((m) => m.key === "round_trips_per_s"), "what it measured before the kill is kept");
    assert.equal(message.status, "failed");
    assert.equal(message.reason, `the server closed all ${doomed.connections} connections before the suite finished`);
    assert.equal(message.metrics.find((m) => m.key === "answered_pct")?.verdict, "fail");
  });

  it("counts failed connects in the suite that started after the kill", () => {
    const subscription = report.json.levels[1].suites[1];
    assert.equal(
      subscription.errors.find((e) => e.class === "connect_failed")?.count,
      doomed.connections,
      JSON.stringify(subscription.errors),
    );
    assert.equal(subscription.status, "failed");
    assert.equal(subscription.reason, "could not measure: 0 of 80,000 subscribe/unsubscribe requests answered");
  });
});
