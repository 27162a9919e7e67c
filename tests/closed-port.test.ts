/**
 * Every suite run alone through the CLI against a port nothing listens on:
 * a suite that could not measure what it exists to measure is ❌ with the
 * reason, no figure computed from zero samples shows ✅, the run is not
 * complete, and `--fail-on fail` exits 1.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Result, SUITE_NAMES, type SuiteName } from "../src/model/result.ts";
import { assertExit, type CliRun, runCliResult, runtime } from "./_cli.ts";
import { levelSuite, record } from "./_fault-runs.ts";
import { closedPort } from "./fixtures/fault-server.ts";

/** connections each suite plans at minimal (10 connections, 5 subscribers): what it tried to open */
const PLANNED: Record<SuiteName, RegExp> = {
  connection: /^could not measure: 0 of 10 connections opened/,
  message: /^could not measure: 0 of 1,000 round trips answered/,
  subscription: /^could not measure: 0 of 200 subscribe\/unsubscribe requests answered/,
  broadcast: /^could not measure: 0 of 1,000 deliveries received/,
  permission: /^could not measure: 0 of 100 decisions answered/,
  // one phase plain and one with permessage-deflate, where the client runtime can negotiate it
  compression: /^could not measure: 0 of (10|20) round trips answered/,
};

describe(`every suite against a closed port, through the CLI on ${runtime}`, () => {
  const runs = new Map<SuiteName, { run: CliRun; result: Result }>();
  before(async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/`;
    for (const name of SUITE_NAMES) {
      const args = ["--suite", name, "--level", "minimal", "--target", url, "--timeout", "2000", "--fail-on", "fail"];
      runs.set(name, await runCliResult(args));
    }
  });

  for (const name of SUITE_NAMES) {
    it(`${name}: the suite fails with the reason, nothing it could not measure is ✅, and --fail-on fail exits 1`, () => {
      const { run, result } = runs.get(name)!;
      const suite = levelSuite(result, name);
      const passed = suite.metrics.filter((m) => m.layer === "wire" && m.verdict === "pass").map((m) => m.key);
      const seen = `suite ${suite.status} ${suite.verdict}, wire ✅ ${JSON.stringify(passed)}, reason ${suite.reason ?? "none"}`;
      record(`case 1, ${name} at a closed port`, `exit ${run.code}, status ${result.status}, ${seen}`);
      assertExit(run, 1);
      assert.equal(result.status, "partial", "a level whose suite measured nothing is not complete");
      assert.equal(suite.status, "failed");
      assert.equal(suite.verdict, "fail");
      assert.equal(result.verdict, "fail");
      assert.match(suite.reason ?? "", PLANNED[name]);
      assert.deepEqual(passed, [], "no wire figure over zero samples passes");
      assert.ok(suite.errors.some((e) => e.class === "connect_failed"), JSON.stringify(suite.errors));
    });
  }
});
