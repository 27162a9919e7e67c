/**
 * SIGINT and SIGTERM sent to a real `wsstress` run part-way through a level:
 * it stops the load, writes what finished (JSON and markdown) and exits 130 or
 * 143, as the shell's convention says; a complete earlier result at the same
 * path is kept byte for byte, and the aborted one goes beside it.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "../src/host/server-process.ts";
import { assertExit, ROOT, runCli, runtime } from "./_cli.ts";
import { parseResult } from "../src/model/result.ts";

const CLI = fileURLToPath(new URL("../src/bin/cli.ts", import.meta.url));
/** a generous bound on the whole run: the point is that it ends, not how fast */
const RUN_BOUND_MS = 120_000;

type Interrupted = {
  code: number | null;
  stderr: string;
  signalledAfter: string;
  json?: string;
  markdown?: string;
  abortedJson?: string;
  /** every name in the run's directory afterwards */
  files: string[];
};

/**
 * Runs two levels, sends `signal` once the first suite of the first level has
 * finished, and collects what was written; `earlierJson` is in r.json before the run.
 */
function interrupt(signal: "SIGINT" | "SIGTERM", earlierJson?: string): Promise<Interrupted> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-signal-"));
  const json = path.join(dir, "r.json");
  const md = path.join(dir, "r.md");
  if (earlierJson !== undefined) writeFileSync(json, earlierJson);
  const args = [
    "--level",
    "minimal",
    "--level",
    "light",
    "--suite",
    "message",
    "--suite",
    "subscription",
    "--json",
    json,
    "--markdown",
    md,
    "--no-color",
  ];
  const { command, args: prefix } = runtimeCommand(runtime, CLI);
  const child = spawn(command, [...prefix, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let signalledAfter = "";
  const guard = setTimeout(() => child.kill("SIGKILL"), RUN_BOUND_MS);
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    // a suite-end line: "  ✅ message   1.2 s"
    if (signalledAfter === "" && /^ {2}\S+ message +\d/m.test(stderr)) {
      signalledAfter = stderr;
      // process.kill rather than child.kill: Deno's child_process reports a child it killed itself as signalled
      process.kill(child.pid!, signal);
    }
  });
  return new Promise((resolve) => {
    child.once("close", (code) => {
      clearTimeout(guard);
      const read = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, "utf8") : undefined);
      const abortedJson = read(path.join(dir, "r.aborted.json"));
      resolve({ code, stderr, signalledAfter, json: read(json), markdown: read(md), abortedJson, files: readdirSync(dir).sort() });
      rmSync(dir, { recursive: true, force: true });
    });
  });
}

describe(`wsstress stopped by a signal mid-level on ${runtime}`, () => {
  for (const [signal, exit] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal} writes the finished suites to --json and --markdown with status aborted and exits ${exit}`, async () => {
      const run = await interrupt(signal);
      assert.notEqual(run.signalledAfter, "", `the first suite finished before the signal:\n${run.stderr}`);
      assert.equal(run.code, exit, `exit code ${run.code}\nstderr:\n${run.stderr}`);
      assert.match(run.stderr, signal === "SIGINT" ? /interrupted: stopping the load/ : /terminated: stopping the load/);
      assert.doesNotMatch(run.stderr, /^wsstress:/m, "no crash");
      assert.ok(run.json !== undefined, "the JSON result was written");
      const result = parseResult(JSON.parse(run.json));
      assert.equal(result.status, "aborted");
      assert.deepEqual(result.levels.map((l) => l.level.name), ["minimal"], "light never started");
      const [message, subscription] = result.levels[0].suites;
      assert.equal(message.suite, "message");
      assert.equal(message.status, "ok");
      assert.ok(message.metrics.some((m) => m.key === "round_trips_per_s"), "the finished suite keeps its figures");
      assert.ok(subscription === undefined || subscription.status === "aborted", `subscription: ${subscription?.status}`);
      assert.ok(run.markdown?.includes("minimal"), "the markdown report was written");
    });
  }
});

describe(`an interrupted run keeps a complete earlier result on ${runtime}`, () => {
  let earlier: string;
  let run: Interrupted;
  before(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-earlier-"));
    try {
      const args = ["--level", "minimal", "--suite", "message", "--json", path.join(dir, "earlier.json"), "--no-color"];
      const made = await runCli(args, RUN_BOUND_MS);
      assertExit(made, 0);
      earlier = readFileSync(path.join(dir, "earlier.json"), "utf8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    run = await interrupt("SIGINT", earlier);
  });

  it("SIGINT leaves the earlier --json byte for byte, writes the aborted result to r.aborted.json and says so", () => {
    assert.equal(parseResult(JSON.parse(earlier)).status, "complete");
    assert.notEqual(run.signalledAfter, "", `the first suite finished before the signal:\n${run.stderr}`);
    assert.equal(run.code, 130, run.stderr);
    assert.equal(run.json, earlier, "r.json is the earlier complete result, unchanged");
    assert.ok(run.abortedJson !== undefined, `r.aborted.json was written; the directory holds ${run.files.join(", ")}`);
    assert.equal(parseResult(JSON.parse(run.abortedJson)).status, "aborted");
    assert.match(run.stderr, /^wsstress: kept \S*r\.json, which already existed; the aborted --json output is in \S*r\.aborted\.json$/m);
  });

  it("writes an output that did not exist yet at its own path, and leaves no temporary file", () => {
    assert.ok(run.markdown?.includes("minimal"), "r.md holds the aborted report");
    assert.deepEqual(run.files, ["r.aborted.json", "r.json", "r.md"]);
  });
});
