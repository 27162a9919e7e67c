/**
 * Every example in README.md runs, so it never rots: each TypeScript block is
 * a file in examples/ that runs here (examples/installed.ts, which imports the
 * package by name, runs in package.test.ts from the installed tarball), and
 * each command line for the runtime under test is run as written. Generated
 * blocks must match the code.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { BLOCKS, README, readBlock } from "./_readme-blocks.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const runtime = detectRuntime();
const readme = readFileSync(README, "utf8");

function fenced(lang: string): string[] {
  return [...readme.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

type Ran = { code: number | null; stdout: string; stderr: string };
function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A README command line for this runtime, as [command, args], with the CLI's path made absolute. */
function commandFor(line: string): [string, string[]] | undefined {
  const [tool, ...rest] = line.trim().split(/\s+/);
  if (tool !== runtime) return undefined;
  const args = rest.map((a) => (a === "src/bin/cli.ts" ? join(ROOT, "src/bin/cli.ts") : a));
  return [process.execPath, args];
}

describe("README.md", () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "wsstress-readme-"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("shows the CLI's own --help and the metric catalogue as the code has them", () => {
    for (const [name, render] of Object.entries(BLOCKS)) {
      assert.equal(readBlock(readme, name), render(), `the ${name} block is stale: run node tests/_readme-blocks.ts --write`);
    }
  });

  it("shows each TypeScript example exactly as it stands in examples/", () => {
    const files = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".ts"));
    const sources = files.map((f) => readFileSync(join(ROOT, "examples", f), "utf8"));
    const blocks = fenced("ts");
    assert.ok(blocks.length >= 3);
    for (const block of blocks) assert.ok(sources.includes(block), `README block is not an examples/ file:\n${block.slice(0, 200)}`);
  });

  it("says npm start is the quick run on Node, and shows that command", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.scripts.start, "node src/bin/cli.ts --quick");
    assert.ok(fenced("sh").some((b) => b.includes("node src/bin/cli.ts --quick")));
    assert.match(readFileSync(join(ROOT, ".ci/run"), "utf8"), /^npm test$/m);
  });

  for (const file of ["quick-start.ts", "ci-gate.ts", "custom-level.ts", "html-and-baseline.ts", "compare-runtimes.ts", "shards.ts", "progress-log.ts"]) {
    it(`examples/${file} runs on ${runtime}`, async () => {
      const { command, args } = runtimeCommand(runtime, join(ROOT, "examples", file));
      const ran = await run(command, args, scratch);
      assert.equal(ran.code, 0, ran.stderr);
      if (file === "quick-start.ts") assert.match(ran.stdout, /lost deliveries: 0$/m);
      if (file === "ci-gate.ts") {
        assert.match(ran.stdout, /status complete, verdict \w+, wrong allows 0/);
        assert.equal(JSON.parse(readFileSync(join(scratch, "wsstress-result.json"), "utf8")).levels[0].level.name, "minimal");
      }
      // minimal: 1,000 / 5 publishes to each of 5 subscribers, split 3 + 2 over the shards
      if (file === "shards.ts") assert.match(ran.stdout, /^merged 2 shards: 1000 broadcast deliveries$/m);
      if (file === "custom-level.ts") assert.match(ran.stdout, /broadcast wire deliveries: -?[\d.]+ % from minimal to chatRoom/);
      if (file === "compare-runtimes.ts") {
        assert.match(ran.stdout, /^minimal\.message\.wire\.round_trips_per_s: (\S+ wins|tie: \S+)/m);
        assert.deepEqual(JSON.parse(readFileSync(join(scratch, "wsstress-matrix.json"), "utf8")).pairings.map((p: { id: string }) => p.id), ["node/bun", "deno/bun", "bun/bun"]);
      }
      if (file === "progress-log.ts") {
        // 1,000 round trips at 400/s: 2.5 s of the suite, reported every 500 ms, then once more at its end
        const [, progress] = /^complete: \d+ lines, (\d+) of the suite's progress, the last 1000\/1000 round trips answered$/m.exec(ran.stdout) ?? [];
        assert.ok(Number(progress) >= 3, ran.stdout);
        const types = readFileSync(join(scratch, "wsstress-progress.log"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).type);
        assert.deepEqual([types[0], types.at(-1)], ["run-start", "run-end"]);
      }
      if (file === "html-and-baseline.ts") {
        assert.match(ran.stdout, /^baseline saved$/m);
        assert.match(readFileSync(join(scratch, "wsstress-report.html"), "utf8"), /^<!doctype html>/);
      }
    });
  }

  it(`runs every command line shown for ${runtime} as written`, async () => {
    const lines = fenced("sh").flatMap((b) => b.split("\n")).filter((l) => l.trim() !== "");
    const mine = lines.map((l) => [l, commandFor(l)] as const).filter(([, c]) => c !== undefined);
    if (runtime === "deno") assert.ok(lines.includes("deno task quick"));
    assert.ok(mine.length >= 1, `no README command for ${runtime}`);
    for (const [line, [command, args]] of mine as Array<readonly [string, [string, string[]]]>) {
      // `deno task` reads deno.json from the working directory
      const ran = await run(command, args, args[0] === "task" ? ROOT : scratch);
      assert.equal(ran.code, 0, `${line}\n${ran.stderr.slice(-2000)}`);
      assert.match(ran.stdout, /Summary across levels/, line);
    }
  });
});
