/**
 * docs/conformance.md stays true: its table of cases is the case list in
 * code, each TypeScript block is a file in examples/ that runs here, and
 * each command line for this runtime runs and exits 0.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runtimeCommand } from "../src/host/server-process.ts";
import { ROOT, runtime } from "./_cli.ts";
import { CONFORMANCE_BLOCKS, CONFORMANCE_DOC } from "./_conformance-doc.ts";
import { readBlock } from "./_readme-blocks.ts";

const doc = readFileSync(CONFORMANCE_DOC, "utf8");
const fenced = (lang: string): string[] => [...doc.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("docs/conformance.md", () => {
  it("shows the groups and every case as the case list in code has them", () => {
    for (const [name, render] of Object.entries(CONFORMANCE_BLOCKS)) {
      assert.equal(readBlock(doc, name), render(), `the ${name} block is stale: run node tests/_conformance-doc.ts --write`);
    }
    assert.match(doc, /\| all +\| +\| +518 \|/);
  });

  it("shows examples/conformance.ts exactly, and it runs on this runtime", async () => {
    const [block] = fenced("ts");
    assert.equal(block, readFileSync(join(ROOT, "examples", "conformance.ts"), "utf8"));
    const { command, args } = runtimeCommand(runtime, join(ROOT, "examples", "conformance.ts"));
    const ran = await run(command, args);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /^66 cases: \d+ OK, 0 failed$/m);
    assert.match(ran.stdout, /^under load: \d+ cases run, 0 protocol violations, close codes \{"1000":\d+,"1002":\d+,"1007":\d+\}$/m);
  });

  it("runs each command line written for this runtime", async () => {
    const lines = fenced("sh").flatMap((b) => b.split("\n")).filter((l) => l.startsWith(`${runtime} `));
    assert.ok(lines.length > 0 || runtime !== "node", "the page shows a command for node");
    for (const line of lines) {
      const [, ...rest] = line.trim().split(/\s+/);
      const ran = await run(process.execPath, rest.map((a) => (a === "src/bin/cli.ts" ? join(ROOT, "src/bin/cli.ts") : a)));
      assert.equal(ran.code, 0, `${line}\n${ran.stderr}`);
      assert.match(ran.stdout, /Verdicts by group/);
    }
  });
});
