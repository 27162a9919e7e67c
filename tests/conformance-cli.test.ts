/**
 * `wsstress conform` as a user runs it: bad input in one line and exit 2,
 * the reports written whole (the JSON valid against the generated schema),
 * --fail-on's exit codes, `wsstress compare` on two conformance documents
 * (exit 1 when a case got worse), and `--conform` on a stress run.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConformance } from "../mod.ts";
import { assertExit, runCli, runCliResult } from "./_cli.ts";
import { validate } from "./_json-schema.ts";
import { type LaxServer, startLaxServer } from "./fixtures/lax-ws-server.ts";

describe("wsstress conform", () => {
  let dir: string;
  let strict: LaxServer;
  let noPong: LaxServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "wsstress-conform-"));
    strict = await startLaxServer();
    noPong = await startLaxServer("no-pong");
  });
  after(async () => {
    await Promise.all([strict.close(), noPong.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a pattern that names no case, an unreachable server, a remote one without --allow-remote, a bad patience: one line, exit 2", async () => {
    const bad = await runCli(["conform", strict.url, "--cases", "8.*"]);
    assertExit(bad, 2);
    assert.equal(
      bad.stderr.trim(),
      'wsstress: --cases: "8.*" matches no case; allowed: case ids and patterns such as 1.*, 5.*, 6.4.*, 7.7.1 or * ' +
        "(groups 1, 2, 3, 4, 5, 6, 7, 9, 12, 13)",
    );
    const closed = await runCli(["conform", "ws://127.0.0.1:1/", "--cases", "1.1.1"]);
    assertExit(closed, 2);
    assert.match(
      closed.stderr,
      /^wsstress: ws:\/\/127\.0\.0\.1:1\/: cannot connect: .*ECONNREFUSED.*; allowed: a ws:\/\/ or wss:\/\/ URL of a running WebSocket \w+\n$/,
    );
    const remote = await runCli(["conform", "ws://example.com/"]);
    assertExit(remote, 2);
    assert.match(remote.stderr, /wsstress conform URL: "ws:\/\/example\.com\/" is not on loopback/);
    assertExit(await runCli(["conform", strict.url, "--profile", "socketio"]), 2);
    for (
      const [value, problem] of [["soon", '"soon" is not a whole number of milliseconds'], [
        "60001",
        "60001 is not a whole number of milliseconds",
      ]]
    ) {
      const patience = await runCli(["conform", strict.url, "--cases", "1.1.1", "--patience", value]);
      assertExit(patience, 2);
      assert.match(patience.stderr, new RegExp(`^wsstress: --patience: ${problem}.*; allowed: .*5000\n$`));
    }
  });

  it("lists the cases --cases picks without running any", async () => {
    const run = await runCli(["conform", "--cases", "2.5,7.9.*", "--list"]);
    assertExit(run, 0);
    assert.equal(run.stdout.split("\n").filter((l) => /^\d/.test(l)).length, 10);
    assert.match(run.stdout, /^2\.5 +Send a ping with a binary payload of 126 octets\.\n +The connection is failed/);
  });

  it("writes JSON valid against `wsstress schema --conformance`, markdown and HTML, and exits 0 when no case failed", async () => {
    const files = { json: join(dir, "strict.json"), markdown: join(dir, "strict.md"), html: join(dir, "strict.html") };
    const run = await runCli([
      "conform",
      strict.url,
      "--cases",
      "1.1.*,2.*,6.4.1",
      "--json",
      files.json,
      "--markdown",
      files.markdown,
      "--html",
      files.html,
    ], 60_000);
    assertExit(run, 0);
    const doc = parseConformance(JSON.parse(readFileSync(files.json, "utf8")));
    assert.equal(doc.cases.length, 8 + 11 + 1);
    assert.deepEqual(doc.counts, { OK: 19, "NON-STRICT": 1, INFORMATIONAL: 0, UNIMPLEMENTED: 0, FAILED: 0 });
    const schema = await runCli(["schema", "--conformance"]);
    assertExit(schema, 0);
    const both = await runCli(["schema", "--conformance", "--comparison"]);
    assertExit(both, 2);
    assert.equal(both.stderr.trim(), "wsstress: wsstress schema: --conformance and --comparison both given; allowed: one of them");
    assert.deepEqual(validate(JSON.parse(schema.stdout), doc), []);
    assert.match(run.stdout, /━━ 6\.4\.1 ⚠️ NON-STRICT/);
    assert.match(readFileSync(files.markdown, "utf8"), /^# WebSocket conformance: ⚠️ NON-STRICT\n[\s\S]*\| 6\.4\.1 \| ⚠️ NON-STRICT \|/);
    const html = readFileSync(files.html, "utf8");
    assert.match(html, /<a class="case c-NON-STRICT" href="#case-6\.4\.1"/);
    assert.equal(parseConformance(JSON.parse(/id="wsstress-conformance">(.*?)<\/script>/s.exec(html)![1])).cases.length, 20);
  });

  it("exits 1 on a FAILED case by default, and on NON-STRICT with --fail-on non-strict", async () => {
    const failed = await runCli(["conform", noPong.url, "--cases", "2.1", "--quiet"]);
    assertExit(failed, 1);
    assert.match(failed.stderr, /conform: 2\.1 FAILED: expected pong of 0 bytes \(OK\); got nothing/);
    assertExit(await runCli(["conform", noPong.url, "--cases", "2.1", "--quiet", "--fail-on", "never"]), 0);
    assertExit(await runCli(["conform", strict.url, "--cases", "6.4.1", "--quiet", "--fail-on", "non-strict"]), 1);
  });

  it("compares two conformance documents case by case: exit 1 when a case got worse, 2 against a stress result", async () => {
    const [a, b] = [join(dir, "a.json"), join(dir, "b.json")];
    assertExit(await runCli(["conform", strict.url, "--cases", "2.1,2.2,1.1.1", "--json", a, "--quiet"]), 0);
    assertExit(await runCli(["conform", noPong.url, "--cases", "2.1,2.2,1.1.2", "--json", b, "--quiet", "--fail-on", "never"]), 0);
    const worse = await runCli(["compare", a, b, "--markdown", join(dir, "cmp.md")]);
    assertExit(worse, 1);
    assert.match(worse.stdout, /4 cases: 2 worse, 0 better, 0 the same, 1 only in the current run, 1 only in the baseline/);
    assert.match(worse.stdout, /2\.1 +✅ OK +❌ FAILED +worse/);
    assert.match(readFileSync(join(dir, "cmp.md"), "utf8"), /\| 2\.2 +\| ✅ OK +\| ❌ FAILED +\| worse +\|/);
    const c = join(dir, "c.json");
    copyFileSync(b, c);
    const several = await runCli(["compare", a, "--", b, c]);
    assertExit(several, 2);
    assert.equal(several.stderr.trim(), "wsstress: two conformance documents compare case by case; allowed: BASELINE.json CURRENT.json");
    const html = await runCli(["compare", a, b, "--html", join(dir, "cmp.html")]);
    assertExit(html, 2);
    assert.match(html.stderr, /--html applies to stress results; a conformance comparison is case by case/);
    assert.equal(existsSync(join(dir, "cmp.html")), false);
    const same = await runCli(["compare", a, a]);
    assertExit(same, 0);
    assert.match(same.stdout, /every case has the same verdict in both/);
    const { result } = await runCliResult(["--level", "minimal", "--suite", "connection"]);
    const stress = join(dir, "stress.json");
    (await import("node:fs")).writeFileSync(stress, JSON.stringify(result));
    const mixed = await runCli(["compare", a, stress]);
    assertExit(mixed, 2);
    assert.match(
      mixed.stderr,
      /cannot compare .*a\.json, a conformance document \(wsstress conform\), with .*stress\.json, a stress result/,
    );
  });

  it("--conform on a stress run records the sample idle and at the level, and prints it", async () => {
    const { run, result } = await runCliResult(["--level", "minimal", "--suite", "message", "--conform"], 120_000);
    assertExit(run, 0);
    assert.equal(result.plan.conform, true);
    assert.equal(result.conformance?.idle.violations, 0);
    assert.ok((result.levels[0].conformance?.runs ?? 0) >= result.conformance!.sample.length);
    assert.match(run.stdout, /━━ Conformance under load/);
  });
});
