/**
 * `--conform` in a stress run: the sample runs idle, then on extra
 * connections while each level's suites load the server. A server that
 * conforms idle and breaks under load fails the level, with the cases, the
 * counts and the close codes that show how; the reference server holds.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Result, stress } from "../mod.ts";
import type { CaseResult } from "../mod.ts";
import { caseById, LOAD_SAMPLE } from "../src/conformance/case-catalogue.ts";
import { SampleTally } from "../src/run/conformance-tally.ts";
import { type LaxServer, startLaxServerUnderLoad } from "./fixtures/lax-ws-server.ts";

/** 20 connections for a few seconds of round trips: well past the 5 the fixture takes before it breaks its rules */
const LOADED = { name: "loaded", operations: 20_000, connections: 20, messagesPerConnection: 1000, subscribers: 5 };

describe("conformance under load", () => {
  let reference: Result;
  let breaking: Result;
  let server: LaxServer;
  before(async () => {
    server = await startLaxServerUnderLoad(5, "lax-utf8", "no-close-frame");
    breaking = (await stress().target(server.url).profile("echo").level(LOADED).suite("message").warmup(false).conform().run()).json;
    reference = (await stress().level("minimal").suite("message").warmup(false).conform().run()).json;
  });
  after(() => server.close());

  it("records the sample and the idle round, all OK on a server that conforms idle", () => {
    const record = breaking.conformance!;
    assert.equal(record.profile, "echo");
    assert.deepEqual(record.sample, [...LOAD_SAMPLE]);
    assert.equal(record.idle.runs, LOAD_SAMPLE.length);
    assert.equal(record.idle.violations, 0);
    // the fixture has no permessage-deflate: the deflate case is UNIMPLEMENTED, not a failure
    assert.deepEqual(record.idle.counts, { OK: LOAD_SAMPLE.length - 1, "NON-STRICT": 0, INFORMATIONAL: 0, UNIMPLEMENTED: 1, FAILED: 0 });
    assert.deepEqual(record.idle.deflate, { offered: 1, negotiated: 0, failures: 0 });
    assert.equal(record.idle.verdict, "pass");
  });

  it("fails the level where the server breaks the protocol under load, naming the cases and counting each run", () => {
    const level = breaking.levels[0];
    const c = level.conformance!;
    assert.ok(c.rounds >= 1);
    // a round always finishes: every level sees every case of the sample
    assert.equal(c.runs, c.rounds * LOAD_SAMPLE.length);
    // invalid UTF-8 is echoed while the load lasts (a last round may outlive it, and find the server strict again)
    const utf8 = c.failures.find((f) => f.id === "6.3.1")!;
    assert.equal(utf8.verdict, "FAILED");
    assert.match(utf8.reason, /not valid UTF-8/);
    assert.ok(utf8.wire && utf8.wire.length > 0);
    assert.ok(utf8.count >= 1 && utf8.count <= c.rounds);
    assert.equal(c.violations, c.counts.FAILED);
    assert.ok(c.violations >= 1);
    // protocol errors end in a dropped connection, no close frame: NON-STRICT, and "none" among the close codes
    assert.ok(c.failures.some((f) => f.id === "2.5" && f.verdict === "NON-STRICT"));
    assert.ok((c.closeCodes.none ?? 0) > 0, JSON.stringify(c.closeCodes));
    assert.equal(c.verdict, "fail");
    assert.equal(level.verdict, "fail");
    assert.equal(breaking.verdict, "fail");
  });

  it("holds the reference server to the same sample: no violation, the same close codes in every round", () => {
    const record = reference.conformance!;
    assert.equal(record.profile, "wsstress");
    const c = reference.levels[0].conformance!;
    assert.equal(c.violations, 0);
    assert.equal(c.unopened, 0);
    assert.equal(c.runs, c.rounds * LOAD_SAMPLE.length);
    assert.deepEqual(c.counts, { OK: c.runs, "NON-STRICT": 0, INFORMATIONAL: 0, UNIMPLEMENTED: 0, FAILED: 0 });
    assert.deepEqual(c.closeCodes, { 1000: 7 * c.rounds, 1002: 6 * c.rounds, 1007: 2 * c.rounds });
    assert.deepEqual(c.deflate, { offered: c.rounds, negotiated: c.rounds, failures: 0 });
    assert.equal(c.verdict, "pass");
    assert.deepEqual(record.idle.closeCodes, { 1000: 7, 1002: 6, 1007: 2 });
  });

  it("shows conformance under load in the terminal, markdown and HTML reports", async () => {
    const { createReport } = await import("../mod.ts");
    const report = createReport(breaking);
    for (const text of [report.terminal(), report.markdown(), report.html()]) {
      assert.match(text, /Conformance under load/);
      assert.match(text, /6\.3\.1/);
    }
  });
});

describe("a level's deflate negotiation failures", () => {
  const deflateCase = caseById("12.4.3")!;
  const run = (compressed: boolean, reason = "all 20 messages came back exact in 9 ms"): CaseResult => ({
    id: "12.4.3",
    description: "",
    expectation: "",
    verdict: compressed ? "OK" : "UNIMPLEMENTED",
    reason: compressed ? reason : "the server declined permessage-deflate",
    close: { behaviour: "OK", text: "", closedBy: "client", clean: true, code: 1000, droppedBy: "server" },
    durationMs: 1,
    ...(compressed ? { compression: { payloadBytes: 100, wireBytes: 50 } } : {}),
  });

  it("count a decline as a failure where the idle server negotiated, and fail the level", () => {
    const tally = new SampleTally({ verdicts: new Map([["12.4.3", "OK"]]), deflate: true });
    tally.add(deflateCase, run(true));
    tally.add(deflateCase, run(false));
    const summary = tally.summary();
    assert.deepEqual(summary.deflate, { offered: 2, negotiated: 1, failures: 1 });
    assert.equal(summary.verdict, "fail");
  });

  it("do not count a decline where the idle server declined too", () => {
    const tally = new SampleTally({ verdicts: new Map([["12.4.3", "UNIMPLEMENTED"]]), deflate: false });
    tally.add(deflateCase, run(false));
    assert.deepEqual(tally.summary().deflate, { offered: 1, negotiated: 0, failures: 0 });
    assert.equal(tally.summary().verdict, "pass");
  });
});
