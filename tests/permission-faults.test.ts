/**
 * The permission suite against a hub that carries out forbidden publishes
 * silently (no ack, no refusal), through the CLI: an observer subscribed as
 * admin to every channel the suite publishes to catches each one as a wrong
 * allow, and the decisions never answered fail the suite (failing closed
 * means an explicit deny).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { compilePolicy } from "../src/hub/mod.ts";
import { DEFAULT_POLICY } from "../src/protocol/policy.ts";
import type { Result } from "../src/model/result.ts";
import { assertExit, type CliRun, runCliResult, runtime } from "./_cli.ts";
import { errorCount, figures, lenient, levelSuite, metric, record } from "./_fault-runs.ts";
import { type LyingHub, peek, startLyingHub } from "./fixtures/lying-hub.ts";

const rbac = compilePolicy(DEFAULT_POLICY);

describe(`permission against a hub that carries out forbidden publishes without an answer, through the CLI on ${runtime}`, () => {
  let hub: LyingHub;
  let run: CliRun;
  let result: Result;
  /** silent publishes by suite run: the warm-up's (0), then the level's (1) */
  const silent = new Map<number, number>();
  before(async () => {
    hub = await startLyingHub({
      inbound(conn, frame, real) {
        const f = peek(frame);
        if (f.op !== "pub" || rbac.decide(conn.peer.role, "pub", f.ch!)) return true;
        // publish as if allowed, and swallow the ack
        const role = conn.peer.role;
        const send = conn.peer.send;
        conn.peer.role = "admin";
        conn.peer.send = () => {};
        real.message(conn.peer, frame);
        conn.peer.role = role;
        conn.peer.send = send;
        silent.set(conn.suiteRun, (silent.get(conn.suiteRun) ?? 0) + 1);
        return false;
      },
    });
    const flags = ["--suite", "permission", "--level", "minimal", "--timeout", "1000", "--fail-on", "fail", ...lenient("permission")];
    ({ run, result } = await runCliResult(["--target", hub.url, ...flags]));
  });
  after(() => hub.close());

  it("counts every silent forbidden publish as a wrong allow, each unanswered decision as ❌, and exits 1", () => {
    const suite = levelSuite(result, "permission");
    const carried = silent.get(1) ?? 0;
    const seen = `${figures(suite, "wrong_allows", "answered_pct", "deny_p99_ms")}, timeout × ${errorCount(suite, "timeout")}`;
    record(
      "case 6, forbidden publishes carried out silently",
      `hub carried out ${carried}; wsstress ${seen}, suite ${suite.verdict}; exit ${run.code}`,
    );
    assertExit(run, 1);
    // minimal: 10 connections; all but the admins (3, 7) have a channel they may not publish to,
    // and at window 1 each stalls at its first try
    assert.equal(carried, 8);
    assert.equal(metric(suite, "wrong_allows")?.value, carried);
    assert.equal(errorCount(suite, "wrong_allow"), carried);
    assert.ok(errorCount(suite, "timeout") >= carried, JSON.stringify(suite.errors));
    assert.equal(metric(suite, "answered_pct")?.verdict, "fail");
    assert.equal(suite.verdict, "fail");
    assert.match(result.analysis.recommendations[0].text, /^SECURITY: /);
    const warmup = result.warmup?.suites.find((s) => s.suite === "permission");
    assert.equal(warmup && metric(warmup, "wrong_allows")?.value, silent.get(0));
  });
});
