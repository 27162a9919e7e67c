/**
 * The conformance verdicts held to ground truth: a strict echo server of
 * known behaviour (`fixtures/lax-ws-server.ts`), then one fault at a time,
 * each of which must give exactly the verdict, reason and close behaviour
 * Autobahn's rules (and wsstress's two stricter ones) say.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { conform } from "../mod.ts";
import type { CaseResult, ConformanceResult } from "../mod.ts";
import { renderConformanceText } from "../src/report/conformance-text.ts";
import { type LaxFault, type LaxServer, startLaxServer } from "./fixtures/lax-ws-server.ts";

const servers: LaxServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function check(cases: string, ...faults: LaxFault[]): Promise<ConformanceResult> {
  return await checkWith({}, cases, ...faults);
}

async function checkWith(options: { patienceMs?: number }, cases: string, ...faults: LaxFault[]): Promise<ConformanceResult> {
  const server = await startLaxServer(...faults);
  servers.push(server);
  return (await conform(server.url, { cases, ...options })).json;
}

const byId = (result: ConformanceResult, id: string): CaseResult => {
  const found = result.cases.find((c) => c.id === id);
  assert.ok(found, `case ${id} is in the result`);
  return found;
};

const renderedOf = (result: ConformanceResult): string => renderConformanceText(result, { color: false });
const verdicts = (result: ConformanceResult): Record<string, string> => Object.fromEntries(result.cases.map((c) => [c.id, c.verdict]));

describe("conformance verdicts against a server of known behaviour", () => {
  let strict: ConformanceResult;
  before(async () => {
    strict = await check("1.*,2.*,3.*,4.*,5.1,5.2,5.3,5.6,5.9,5.15,5.18,6.1.*,6.2.*,6.3.*,6.4.1,6.4.3,7.*");
  });

  it("a strict server passes every case but fail-fast UTF-8 (NON-STRICT, as ws) and the informational closes", () => {
    const notOk = strict.cases.filter((c) => c.verdict !== "OK").map((c) => `${c.id} ${c.verdict}`);
    assert.deepEqual(notOk, [
      "6.4.1 NON-STRICT",
      "6.4.3 NON-STRICT",
      "7.1.6 INFORMATIONAL",
      "7.13.1 INFORMATIONAL",
      "7.13.2 INFORMATIONAL",
    ]);
    assert.equal(strict.counts.OK, strict.cases.length - 5);
    assert.equal(strict.verdict, "NON-STRICT");
    assert.equal(strict.status, "complete");
  });

  it("keeps the frames of a case that is not OK, and none of one that is", () => {
    const fast = byId(strict, "6.4.1");
    assert.ok(fast.wire && fast.wire.some((e) => e.dir === "received" && /CLOSE .*code=1007/.test(e.note)), JSON.stringify(fast.wire));
    assert.equal(byId(strict, "1.1.1").wire, undefined);
    assert.deepEqual(byId(strict, "2.5").close && { code: byId(strict, "2.5").close!.code, by: byId(strict, "2.5").close!.closedBy }, {
      code: 1002,
      by: "server",
    });
  });

  it("a server that takes unmasked frames fails 1.3.1 and 1.3.2, having echoed and ponged them", async () => {
    const result = await check("1.3.*", "unmasked");
    assert.deepEqual(verdicts(result), { "1.3.1": "FAILED", "1.3.2": "FAILED" });
    assert.match(byId(result, "1.3.1").reason, /got text message of 13 bytes "Hello, world!"/);
    assert.match(byId(result, "1.3.2").reason, /got pong of 13 bytes/);
  });

  it("a server that drops TCP without a close frame is NON-STRICT where it must fail the connection", async () => {
    const result = await check("2.5,3.1,6.3.1,5.9", "no-close-frame");
    assert.deepEqual(verdicts(result), { "2.5": "NON-STRICT", "3.1": "NON-STRICT", "5.9": "NON-STRICT", "6.3.1": "NON-STRICT" });
    for (const c of result.cases) {
      assert.match(c.reason, /without a close frame \(RFC 6455 §7\.1\.7/);
      assert.equal(c.close?.code, undefined);
      assert.equal(c.close?.closedBy, "server");
    }
  });

  it("a server that never checks UTF-8 fails the invalid-text cases, on the invalid text it sent back", async () => {
    const result = await check("6.3.1,6.5.1,6.12.1", "lax-utf8");
    assert.deepEqual(verdicts(result), { "6.3.1": "FAILED", "6.5.1": "OK", "6.12.1": "FAILED" });
    assert.match(byId(result, "6.3.1").reason, /the server sent a text message that is not valid UTF-8/);
  });

  it("a server that ignores pings fails the ping cases and nothing else", async () => {
    const result = await check("2.1,2.4,2.7,5.6,1.1.2", "no-pong");
    assert.deepEqual(verdicts(result), { "1.1.2": "OK", "2.1": "FAILED", "2.4": "FAILED", "2.7": "OK", "5.6": "FAILED" });
    assert.match(byId(result, "2.1").reason, /expected pong of 0 bytes \(OK\); got nothing/);
  });

  it("a server that masks its frames fails every case it answers, on the first masked frame", async () => {
    const result = await check("1.1.1,2.2", "masked-replies");
    assert.deepEqual(verdicts(result), { "1.1.1": "FAILED", "2.2": "FAILED" });
    assert.match(byId(result, "2.2").reason, /the server masked a frame/);
  });

  it("a server that ignores reserved bits fails group 3 with the echo it should not have sent", async () => {
    const result = await check("3.1,3.6", "reserved-bits");
    assert.deepEqual(verdicts(result), { "3.1": "FAILED", "3.6": "FAILED" });
  });

  it("a server that answers every close with 1002 fails the valid close codes (WRONG CODE), not the invalid ones", async () => {
    const result = await check("7.3.3,7.7.1,7.7.10,7.9.1", "close-1002");
    assert.deepEqual(verdicts(result), { "7.3.3": "FAILED", "7.7.1": "FAILED", "7.7.10": "FAILED", "7.9.1": "OK" });
    assert.equal(byId(result, "7.7.1").close?.behaviour, "WRONG CODE");
  });

  it("a server that keeps TCP open after the closing handshake passes, with the close judged UNCLEAN (Autobahn's rule)", async () => {
    const result = await check("7.3.1,1.1.1,2.5", "linger");
    assert.deepEqual(verdicts(result), { "1.1.1": "OK", "2.5": "OK", "7.3.1": "OK" });
    for (const id of ["1.1.1", "7.3.1"]) {
      assert.equal(byId(result, id).close?.behaviour, "UNCLEAN");
      assert.equal(byId(result, id).close?.droppedBy, "client");
      assert.equal(byId(result, id).close?.clean, false);
    }
    // where a clean close is not required, the client having to drop the connection is what is wrong
    assert.equal(byId(result, "2.5").close?.behaviour, "FAILED BY CLIENT");
  });
  it("a server that fails connections rightly but 1.5 s late fails under Autobahn's 1 s timers, and passes with patienceMs", async () => {
    const cases = "3.1,6.3.1,1.1.1";
    const hasty = await checkWith({}, cases, "slow-fail");
    assert.equal(hasty.patienceMs, 0);
    // wsstress's stricter rule for invalid UTF-8 (6.x): the server must fail the connection; 3.1 only judges the close
    assert.deepEqual(verdicts(hasty), { "1.1.1": "OK", "3.1": "OK", "6.3.1": "FAILED" });
    assert.match(byId(hasty, "6.3.1").reason, /the server never failed the connection/);
    assert.deepEqual([byId(hasty, "3.1").close?.behaviour, byId(hasty, "3.1").close?.closedBy], ["FAILED", "client"]);
    const patient = await checkWith({ patienceMs: 4000 }, cases, "slow-fail");
    assert.equal(patient.patienceMs, 4000);
    assert.match(renderedOf(patient), /patience +every kill timer waited at least 4\.0 s/);
    assert.doesNotMatch(renderedOf(hasty), /patience/);
    assert.deepEqual(verdicts(patient), { "1.1.1": "OK", "3.1": "OK", "6.3.1": "OK" });
    assert.deepEqual([byId(patient, "3.1").close?.code, byId(patient, "3.1").close?.behaviour], [1002, "OK"]);
    assert.deepEqual([byId(patient, "6.3.1").close?.code, byId(patient, "6.3.1").close?.behaviour], [1007, "OK"]);
  });

  it("refuses a patience that is not a whole number of milliseconds up to a minute, in one line", async () => {
    for (const patienceMs of [-1, 1.5, 60_001, Number.NaN]) {
      await assert.rejects(conform("ws://127.0.0.1:1/", { cases: "1.1.1", patienceMs }), {
        message: `conform({ patienceMs }): ${String(patienceMs)} is not a whole number of milliseconds from 0 to 60000; allowed: e.g. 5000`,
      });
    }
  });
});
