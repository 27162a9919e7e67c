/**
 * A run stopped by the user (SIGTERM) in the middle of broadcast, while
 * deliveries are still on their way and the server goes down with the same
 * signal (as servers in the user's process group do): the stop is not the
 * server's fault. The aborted suite keeps what it finished, is marked
 * aborted, and no loss, lost connection or recommendation is drawn from what
 * it never had the chance to see.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "../src/host/server-process.ts";
import { stress } from "../mod.ts";
import { parseResult, type Result } from "../src/model/result.ts";
import { runtime } from "./_cli.ts";
import { errorCount, figures, lenient, lenientThresholds, levelSuite, metric, record } from "./_fault-runs.ts";
import { type LyingHub, peek, startLyingHub } from "./fixtures/lying-hub.ts";

const CLI = fileURLToPath(new URL("../src/bin/cli.ts", import.meta.url));
const RUN_BOUND_MS = 120_000;
/** the warm-up's broadcast is the run's first suite run, the level's the second */
const LEVEL_RUN = 1;
/** publishes the level must have made before the stop */
const PUBLISHES_BEFORE_STOP = 20;
/** publishes whose deliveries go out at once: something is measured before the stop */
const PROMPT = 5;

describe(`a run stopped with SIGTERM in the middle of broadcast, through the CLI on ${runtime}`, () => {
  let hub: LyingHub;
  let code: number | null = null;
  let stderr = "";
  let result: Result | undefined;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-stop-"));
    const file = path.join(dir, "r.json");
    let publishes = 0;
    hub = await startLyingHub({
      inbound(conn, frame) {
        if (conn.suiteRun !== LEVEL_RUN || peek(frame).op !== "pub") return true;
        if (++publishes === PUBLISHES_BEFORE_STOP) {
          // the child exists by then: the hub hears publishes only once the run it spawned is going
          process.kill(child.pid!, "SIGTERM");
          // the server gets the signal too, a moment later, and says goodbye to every client
          setTimeout(() => {
            for (const c of hub.conns) c.close(1001, "Server closed");
          }, 50);
        }
        return true;
      },
      // slow deliveries at the level after the first few: many are in flight when the stop comes
      outbound(conn, frame) {
        const f = peek(frame);
        if (conn.suiteRun === LEVEL_RUN && f.op === "msg" && f.seq! >= PROMPT) conn.writeLater(200, frame);
        else conn.write(frame);
      },
    });
    const { command, args } = runtimeCommand(runtime, CLI);
    const flags = ["--target", hub.url, "--suite", "broadcast", "--level", "minimal", "--timeout", "2000", "--json", file, "--no-color"];
    flags.push("--fail-on", "fail", ...lenient("broadcast"));
    const child = spawn(command, [...args, ...flags], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    const guard = setTimeout(() => child.kill("SIGKILL"), RUN_BOUND_MS);
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    code = await new Promise((resolve) => child.once("close", resolve));
    clearTimeout(guard);
    if (existsSync(file)) result = parseResult(JSON.parse(readFileSync(file, "utf8")));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await hub.close();
  });

  it("keeps the aborted suite, marks it aborted, draws no loss or recommendation from the stop, and exits 143", () => {
    assert.ok(result, `the result was written\n${stderr}`);
    const suite = levelSuite(result, "broadcast");
    const recs = result.analysis.recommendations.map((r) => r.text);
    const errors = JSON.stringify(suite.errors.map((e) => `${e.class} × ${e.count}`));
    const seen = `suite ${suite.status} ${suite.verdict}, ${figures(suite, "lost", "deliveries_per_s")}, errors ${errors}`;
    record(
      "case 8, SIGTERM mid-broadcast",
      `status ${result.status}, ${seen}, drop advice ${recs.some((t) => /drop frames/.test(t))}; exit ${code}`,
    );
    assert.equal(code, 143, stderr);
    assert.equal(result.status, "aborted");
    assert.equal(suite.status, "aborted");
    assert.equal(metric(suite, "lost"), undefined, "deliveries in flight are not losses");
    for (const cls of ["lost", "connection_lost", "lost_request", "timeout", "socket_error"]) {
      assert.equal(errorCount(suite, cls), 0, `${cls}: ${JSON.stringify(suite.errors)}`);
    }
    const inFlight = /^stopped by the user with \d+ of 1000 deliveries still in flight: not counted as lost$/;
    assert.ok(suite.notes.some((n) => inFlight.test(n)), JSON.stringify(suite.notes));
    assert.ok(!recs.some((t) => /drop frames|suite logged errors|failed part-way/.test(t)), JSON.stringify(recs));
    assert.ok((metric(suite, "deliveries_per_s")?.value ?? 0) > 0, "what it measured before the stop is kept");
    assert.notEqual(suite.verdict, "fail");
  });
});

describe(`a run stopped through its AbortSignal mid-message while the server goes down, through the builder on ${runtime}`, () => {
  const level = { name: "stopped", operations: 1_000, connections: 10, messagesPerConnection: 100, subscribers: 5 };
  let hub: LyingHub;
  let result: Result;
  before(async () => {
    const controller = new AbortController();
    let echoes = 0;
    hub = await startLyingHub({
      inbound(_conn, frame) {
        if (peek(frame).op !== "echo" || ++echoes !== 300) return true;
        // the user stops the run, and the server goes down at the same moment: every connection closed under it
        controller.abort();
        for (const c of hub.conns) c.close(1001, "Server closed");
        return false;
      },
    });
    const run = stress().level(level).suite("message").target(hub.url).timeout(2_000).warmup(false).thresholds(
      lenientThresholds("message"),
    );
    result = (await run.run({ signal: controller.signal })).json;
  });
  after(() => hub.close());

  it("notes the lost connections and unanswered requests the stop explains, and counts none of them", () => {
    const suite = levelSuite(result, "message");
    const stopNote = suite.notes.find((n) => n.startsWith("stopped by the user: not counted against the server: "));
    record(
      "case 8, AbortSignal mid-message",
      `status ${result.status}, suite ${suite.status} ${suite.verdict}, errors ${JSON.stringify(suite.errors)}, ${stopNote}`,
    );
    assert.equal(result.status, "aborted");
    assert.equal(suite.status, "aborted");
    assert.deepEqual(suite.errors, []);
    assert.match(stopNote ?? "", /connection_lost × 10/);
    assert.equal(metric(suite, "answered_pct"), undefined, "what the stop cut short is no unanswered share");
    assert.equal(metric(suite, "starved_connections"), undefined);
    assert.ok((metric(suite, "round_trips_per_s")?.value ?? 0) > 0, "what it measured before the stop is kept");
    assert.notEqual(suite.verdict, "fail");
    assert.notEqual(result.verdict, "fail");
  });
});
