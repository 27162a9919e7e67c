/**
 * Faults that happen only in the untimed warm-up, through the CLI: a wrong
 * allow in the permission suite and lost deliveries in broadcast. The
 * warm-up stays out of every rate and percentile, but its faults are
 * reported and judged like the level's: the run fails under --fail-on fail.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { compilePolicy } from "../src/hub/mod.ts";
import { DEFAULT_POLICY } from "../src/protocol/policy.ts";
import type { Result } from "../src/model/result.ts";
import { assertExit, type CliRun, runCliResult, runtime } from "./_cli.ts";
import { errorCount, figures, lenient, levelSuite, metric, record } from "./_fault-runs.ts";
import { type LiarConn, type LyingHub, peek, startLyingHub } from "./fixtures/lying-hub.ts";

const rbac = compilePolicy(DEFAULT_POLICY);
/** the warm-up runs each suite once, in the plan's (canonical) order, before the level does */
const SUITES = ["broadcast", "permission"] as const;
const warmingUp = (conn: LiarConn, suite: (typeof SUITES)[number]): boolean => conn.suiteRun === SUITES.indexOf(suite);

describe(`faults in the warm-up alone, through the CLI on ${runtime}`, () => {
  let hub: LyingHub;
  let run: CliRun;
  let result: Result;
  let wrongAllows = 0;
  let dropped = 0;
  const counts = new Map<LiarConn, number>();
  before(async () => {
    hub = await startLyingHub({
      inbound(conn, frame) {
        const f = peek(frame);
        if (!warmingUp(conn, "permission") || f.op !== "pub" || rbac.decide(conn.peer.role, "pub", f.ch!)) return true;
        wrongAllows++;
        conn.write(`{"op":"ack","id":${f.id},"ok":true,"n":0}`);
        return false;
      },
      outbound(conn, frame) {
        if (!warmingUp(conn, "broadcast") || !frame.startsWith('{"op":"msg"')) return conn.write(frame);
        const k = counts.get(conn) ?? 0;
        counts.set(conn, k + 1);
        if (k % 9 === 4) return void dropped++;
        conn.write(frame);
      },
    });
    const args = SUITES.flatMap((s) => ["--suite", s]);
    const flags = ["--level", "minimal", "--timeout", "1000", "--fail-on", "fail", ...lenient(...SUITES)];
    ({ run, result } = await runCliResult(["--target", hub.url, ...args, ...flags]));
  });
  after(() => hub.close());

  it("reports the warm-up's wrong allows and lost deliveries exactly, judges them, and exits 1", () => {
    const warmup = result.warmup;
    const permission = warmup?.suites.find((s) => s.suite === "permission");
    const broadcast = warmup?.suites.find((s) => s.suite === "broadcast");
    const seen = `${permission ? figures(permission, "wrong_allows") : "absent"}, ${broadcast ? figures(broadcast, "lost") : "absent"}`;
    const hubDid = `hub allowed ${wrongAllows} forbidden publishes and dropped ${dropped}`;
    record("case 5, faults in the warm-up", `${hubDid}; warm-up ${seen}; run verdict ${result.verdict}, exit ${run.code}`);
    assertExit(run, 1);
    assert.ok(wrongAllows > 0 && dropped > 0, "the hub lied in the warm-up");
    assert.ok(permission && broadcast, "the warm-up's suites are in the result");
    assert.equal(metric(permission, "wrong_allows")?.value, wrongAllows);
    assert.equal(errorCount(permission, "wrong_allow"), wrongAllows);
    assert.equal(metric(broadcast, "lost")?.value, dropped);
    assert.equal(warmup!.verdict, "fail");
    assert.equal(result.verdict, "fail");
    assert.match(result.analysis.recommendations[0].text, /^SECURITY: .*wrong_allows: [\d,]+ at warmup/);
  });

  it("keeps the warm-up out of every rate and percentile: the level is clean and passes", () => {
    for (const s of result.warmup!.suites) {
      assert.deepEqual(s.histograms, {}, s.suite);
      assert.deepEqual(s.metrics.filter((m) => m.unit !== ""), [], `${s.suite} keeps only its fault counts`);
    }
    assert.equal(result.levels[0].verdict, "pass");
    assert.equal(metric(levelSuite(result, "permission"), "wrong_allows")?.value, 0);
    assert.equal(metric(levelSuite(result, "broadcast"), "lost")?.value, 0);
  });
});
