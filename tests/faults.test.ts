/**
 * Faults in the server under test, against this runtime's real client
 * adapter: a first level runs against a healthy fixture server, then the
 * fixture breaks and a second level runs into the fault. Every run must end
 * within a generous bound, count the fault under its class in the second
 * level, fail that level, and keep the first level intact; a run whose
 * broken level could not measure anything is not complete.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Report, stress } from "../mod.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { LevelResult, SuiteName } from "../src/model/result.ts";
import { type FaultMode, type FaultServer, startFaultServer } from "./fixtures/fault-server.ts";

const runtime = detectRuntime();
/** ends, not speed: far above the 2 s waits these runs are given */
const RUN_BOUND_MS = 60_000;
const first = { name: "first", operations: 40, connections: 2, messagesPerConnection: 10, subscribers: 2 };
const second = { ...first, name: "second", operations: 41 };

const classes = (level: LevelResult, suite = 0): string[] => level.suites[suite].errors.map((e) => e.class);

type Broken = { report: Report; ms: number };

/** Runs `first` healthy, then switches the fixture to `mode` (or closes it) and runs `second`. */
async function breakAfterFirst(fault: FaultServer, mode: FaultMode | "closed", suites: SuiteName[] = ["message"]): Promise<Broken> {
  const started = Date.now();
  const report = await stress()
    .levels(first, second)
    .suite(...suites)
    .target(fault.url)
    .timeout(2_000)
    .warmup(false)
    .onProgress((event) => {
      if (event.type !== "level-end" || event.result.level.name !== "first") return;
      if (mode === "closed") void fault.close();
      else fault.mode = mode;
    })
    .run();
  return { report, ms: Date.now() - started };
}

/** `measured`: whether the broken level still measured something (else its suite fails and the run is partial). */
function assertEndedWithFirstIntact({ report, ms }: Broken, measured: boolean): LevelResult {
  assert.ok(ms < RUN_BOUND_MS, `the run ended in ${ms} ms`);
  assert.equal(report.json.levels.length, 2, "both levels ran: --on-error continue is the default");
  assert.equal(report.json.status, measured ? "complete" : "partial");
  const [healthy, broken] = report.json.levels;
  if (!measured) {
    assert.equal(broken.suites[0].status, "failed", JSON.stringify(broken.suites[0]));
    const reasons = /^(could not measure: 0 of 20 round trips answered|the server closed all 2 connections before the suite finished)$/;
    assert.match(broken.suites[0].reason ?? "", reasons);
  }
  for (const s of healthy.suites) {
    assert.equal(s.status, "ok", `${s.suite} at the healthy level`);
    assert.deepEqual(s.errors, [], `${s.suite} at the healthy level has no error`);
  }
  assert.equal(healthy.suites[0].metrics.find((m) => m.key === "round_trips_per_s")?.layer, "wire", "the healthy level kept its figures");
  return broken;
}

describe(`faults in the server under test, on the ${runtime} client`, () => {
  const servers: FaultServer[] = [];
  const fixture = async (): Promise<FaultServer> => {
    const s = await startFaultServer("echo");
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const s of servers) await s.close().catch(() => {});
  });

  const cases: Array<{ mode: FaultMode | "closed"; what: string; expect: string[]; measured: boolean }> = [
    { mode: "closed", what: "nothing listening on the port any more", expect: ["connect_failed", "nothing_measured"], measured: false },
    { mode: "http503", what: "a handshake refused with HTTP 503", expect: ["connect_failed", "nothing_measured"], measured: false },
    {
      mode: "silent",
      what: "a server that never answers the handshake",
      expect: ["handshake_timeout", "nothing_measured"],
      measured: false,
    },
    {
      mode: "stall",
      what: "a server that upgrades, then stops reading and answering",
      expect: ["timeout", "nothing_measured"],
      measured: false,
    },
    {
      mode: "reset",
      what: "connections reset by the server at the first frame",
      expect: ["connection_lost", "nothing_measured"],
      measured: false,
    },
    { mode: "garbage", what: "malformed text and binary frames from the server", expect: ["bad_frame", "bad_reply"], measured: true },
    { mode: "huge", what: "a 16 MiB frame that is not JSON", expect: ["bad_frame", "nothing_measured"], measured: false },
  ];
  for (const c of cases) {
    it(`${c.what} ends the run in time, counts ${c.expect.join(" and ")} at the broken level, fails it, keeps the healthy one`, async () => {
      const broken = assertEndedWithFirstIntact(await breakAfterFirst(await fixture(), c.mode), c.measured);
      for (const cls of c.expect) assert.ok(classes(broken).includes(cls), `${cls} among ${JSON.stringify(broken.suites[0].errors)}`);
      assert.equal(broken.verdict, "fail");
    });
  }

  it("a frame header claiming 2^53 − 1 bytes closes the connection, counted as a socket error or a lost connection", async () => {
    const broken = assertEndedWithFirstIntact(await breakAfterFirst(await fixture(), "oversized"), false);
    const seen = classes(broken);
    assert.ok(seen.includes("socket_error") || seen.includes("connection_lost"), JSON.stringify(broken.suites[0].errors));
    assert.equal(broken.verdict, "fail");
  });

  it("a slow consumer (reads only while 4 frames wait, answers each after 20 ms) is measured, not hung on", async () => {
    const broken = assertEndedWithFirstIntact(await breakAfterFirst(await fixture(), "slow"), true);
    const message = broken.suites[0];
    assert.ok(classes(broken).every((c) => c === "timeout"), JSON.stringify(message.errors));
    assert.ok((message.metrics.find((m) => m.key === "rtt_max_ms")?.value ?? 0) >= 20, "the 20 ms the server took shows in the RTT");
  });

  it("malformed deliveries to broadcast subscribers (no time, future time, huge seq) are counted, never thrown", async () => {
    const fault = await fixture();
    fault.mode = "garbage";
    const started = Date.now();
    const report = await stress().level(first).suite("broadcast").target(fault.url).timeout(2_000).warmup(false).run();
    assert.ok(Date.now() - started < RUN_BOUND_MS);
    const broadcast = report.json.levels[0].suites[0];
    assert.equal(broadcast.status, "ok", JSON.stringify(broadcast.errors));
    const invalid = broadcast.errors.find((e) => e.class === "bad_reply" && /never published or a ts that is no time/.test(e.message));
    assert.ok(invalid, `broken deliveries counted: ${JSON.stringify(broadcast.errors)}`);
    assert.ok(classes(report.json.levels[0]).includes("bad_frame"));
  });

  it("--on-error stop ends the run at the first failed suite with status partial; continue runs the rest", async () => {
    // an echo server: message passes, broadcast measures nothing (its subscribes come back as echoes, not acks)
    const fault = await fixture();
    const run = (policy: "stop" | "continue") =>
      stress().levels(first, second).suite("broadcast", "message").target(fault.url).timeout(2_000).warmup(false).onError(policy).run();
    const stopped = (await run("stop")).json;
    assert.equal(stopped.status, "partial");
    assert.equal(stopped.plan.onError, "stop");
    assert.deepEqual(stopped.levels.map((l) => l.suites.map((s) => `${s.suite}:${s.status}`)), [["message:ok", "broadcast:failed"]]);
    const continued = (await run("continue")).json;
    // every level ran, but a suite that measured nothing leaves the run partial
    assert.equal(continued.status, "partial");
    assert.deepEqual(continued.levels.map((l) => l.suites.map((s) => `${s.suite}:${s.status}`)), [
      ["message:ok", "broadcast:failed"],
      ["message:ok", "broadcast:failed"],
    ]);
    assert.deepEqual(classes(continued.levels[1], 1), ["setup_refused", "nothing_measured"]);
  });
});
