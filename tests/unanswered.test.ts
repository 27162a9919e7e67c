/**
 * The message suite against a hub that answers the first 49 echoes of each
 * connection and then nothing, through the CLI: the percentiles say how many
 * requests they stand on and are ❌ below 100 % answered (an unanswered
 * request has no finite latency), and the rate's span ends where the suite
 * ended, at the stall, not at the last reply.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Result } from "../src/model/result.ts";
import { assertExit, type CliRun, runCliResult, runtime } from "./_cli.ts";
import { errorCount, figures, lenient, levelSuite, metric, record } from "./_fault-runs.ts";
import { type LiarConn, type LyingHub, peek, startLyingHub } from "./fixtures/lying-hub.ts";

const ANSWERED = 49;
const TIMEOUT_MS = 1000;

describe(`message against a hub that stops answering, through the CLI on ${runtime}`, () => {
  let hub: LyingHub;
  let run: CliRun;
  let result: Result;
  const answered = new Map<LiarConn, number>();
  before(async () => {
    hub = await startLyingHub({
      inbound(conn, frame) {
        if (peek(frame).op !== "echo") return true;
        const n = answered.get(conn) ?? 0;
        if (n >= ANSWERED) return false;
        answered.set(conn, n + 1);
        return true;
      },
    });
    const flags = ["--suite", "message", "--level", "minimal", "--timeout", String(TIMEOUT_MS), "--fail-on", "fail", ...lenient("message")];
    ({ run, result } = await runCliResult(["--target", hub.url, ...flags]));
  });
  after(() => hub.close());

  it("reports 49 % answered beside the percentiles, judges them ❌, and ends the rate at the stall", () => {
    const suite = levelSuite(result, "message");
    const seen = `${figures(suite, "answered_pct", "rtt_p99_ms", "rtt_max_ms", "round_trips_per_s")}, timeout × ${
      errorCount(suite, "timeout")
    }`;
    record("case 7, 510 of 1,000 requests unanswered", `wsstress ${seen}, suite took ${Math.round(suite.durationMs)} ms; exit ${run.code}`);
    assertExit(run, 1);
    // minimal: 10 connections × 100 messages, window 1: 49 answered on each
    assert.equal(errorCount(suite, "timeout"), 1000 - 10 * ANSWERED);
    assert.equal(metric(suite, "answered_pct")?.value, 49);
    assert.equal(metric(suite, "answered_pct")?.verdict, "fail");
    for (const key of ["rtt_p50_ms", "rtt_p95_ms", "rtt_p99_ms", "rtt_max_ms"]) assert.equal(metric(suite, key)?.verdict, "fail", key);
    // 490 round trips over a span that includes the stall of at least TIMEOUT_MS
    assert.ok(metric(suite, "round_trips_per_s")!.value <= (10 * ANSWERED) / (TIMEOUT_MS / 1000), figures(suite, "round_trips_per_s"));
  });
});
