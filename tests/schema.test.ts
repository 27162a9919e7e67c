import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type * as v from "valibot";
import { parseResult, type ResultSchema } from "../src/model/result.ts";
import { VERSION } from "../src/model/version.ts";
import { stress } from "../mod.ts";

const pathsOf = (error: unknown): string[] =>
  (error as v.ValiError<typeof ResultSchema>).issues.map((i) => (i.path ?? []).map((p) => String(p.key)).join("."));

describe("the result schema", () => {
  it("carries the version package.json declares", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    assert.equal(VERSION, pkg.version);
  });

  it("rejects a document with a bad field and names the path to it", () => {
    const doc = {
      schemaVersion: 1,
      tool: { name: "wsstress", version: VERSION },
      runtime: { name: "node", version: "24" },
      machine: { os: "linux", arch: "x64", cpuModel: "x", cores: 0, memoryBytes: 1 },
      server: { url: "ws://127.0.0.1:1/", runtime: "node", embedded: true, perMessageDeflate: false },
      plan: { ...stress().level("minimal").plan(), window: 0 },
      startedAt: "2026-11-27T00:00:00.000Z",
      finishedAt: "not a time",
      durationMs: 1,
      status: "complete",
      levels: [],
      analysis: { degradation: [], bottleneck: null, recommendations: [] },
      verdict: "none",
    };
    assert.throws(() => parseResult(doc), (error) => {
      assert.deepEqual(pathsOf(error).sort(), ["finishedAt", "machine.cores", "plan.window"]);
      return true;
    });
  });

  it("rejects a truncated document, naming what is missing", () => {
    assert.throws(() => parseResult({ schemaVersion: 1, tool: { name: "wsstress", version: VERSION } }), (error) => {
      assert.ok(pathsOf(error).includes("levels"));
      return true;
    });
  });
});
