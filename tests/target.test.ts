import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { stress } from "../mod.ts";
import { isLoopback } from "../src/model/loopback-target.ts";
import { startServerProcess } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import type { ServerProcess } from "../src/model/runtime-contract.ts";

describe("target()", () => {
  it("knows loopback: 127.0.0.0/8, ::1 and localhost, nothing else", () => {
    for (const host of ["127.0.0.1", "127.3.2.1", "localhost", "[::1]", "::1"]) assert.ok(isLoopback(host), host);
    for (const host of ["10.0.0.1", "192.168.1.2", "example.com", "128.0.0.1", "127.0.0.256", "::2"]) assert.ok(!isLoopback(host), host);
  });

  it("refuses a remote host unless allowRemote is given, before anything is sent", () => {
    assert.throws(
      () => stress().target("ws://example.com/ws"),
      /is not on loopback, and remote load was not asked for; allowed: .* allowRemote: true \(--allow-remote\)/,
    );
    assert.equal(stress().target("wss://example.com/ws", { allowRemote: true }).plan().target, "wss://example.com/ws");
  });

  it("refuses what is not a ws:// or wss:// URL", () => {
    assert.throws(() => stress().target("http://127.0.0.1:8080/"), /uses http:\/\/; allowed: a ws:\/\/ or wss:\/\/ URL/);
    assert.throws(() => stress().target("127.0.0.1:8080"), /is not a URL|uses 127\.0\.0\.1:/);
  });
});

describe(`a run against a server in another process on ${detectRuntime()}`, () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess(detectRuntime(), { perMessageDeflate: false, timeoutMs: 10_000 });
  });
  after(() => server.stop());

  it("loads that server and says it did not start it", async () => {
    const report = await stress().level("minimal").suite("message").warmup(false).target(server.url).run();
    assert.equal(report.json.server.embedded, false);
    assert.equal(report.json.server.url, server.url);
    assert.equal(report.json.plan.target, server.url);
    const message = report.json.levels[0].suites[0];
    assert.equal(message.status, "ok");
    assert.equal(message.metrics.find((m) => m.key === "errors")?.value, 0);
  });
});
