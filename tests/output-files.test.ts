/**
 * No command destroys a file it was given: an output that names an input or
 * another output is refused before anything runs (exit 2, one line, the input
 * byte for byte as it was); `--jsonl` refuses a file that holds lines unless
 * `--force`; every output is written whole (temporary file, then rename), so
 * a kill -9 mid-write leaves the old file and a normal run leaves no
 * temporary file behind. Real `wsstress` processes on the runtime under test.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "../src/host/server-process.ts";
import { parseJsonl } from "../src/report/jsonl.ts";
import { parseResult } from "../src/model/result.ts";
import { assertExit, type CliRun, runCli, runtime } from "./_cli.ts";

const RUN_TIMEOUT_MS = 120_000;
const WRITER = fileURLToPath(new URL("./fixtures/whole-file-writer.ts", import.meta.url));

/** exit 2 with exactly one line on stderr, saying `says`, and nothing on stdout */
function assertRefused(run: CliRun, says: string | RegExp): void {
  assertExit(run, 2);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr.trimEnd().split("\n").length, 1, `one line:\n${run.stderr}`);
  if (typeof says === "string") assert.ok(run.stderr.includes(says), `says ${JSON.stringify(says)}: ${run.stderr}`);
  else assert.match(run.stderr, says);
}

const temporaries = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith(".tmp"));

describe(`output files on ${runtime}`, () => {
  let dir: string;
  /** what the first run wrote, byte for byte */
  let json: Buffer;
  let jsonl: Buffer;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-outputs-"));
    const args = ["--level", "minimal", "--suite", "message", "--json", "r.json", "--jsonl", "r.jsonl", "--no-color"];
    const run = await runCli(args, RUN_TIMEOUT_MS, dir);
    assertExit(run, 0);
    [json, jsonl] = [readFileSync(path.join(dir, "r.json")), readFileSync(path.join(dir, "r.jsonl"))];
    copyFileSync(path.join(dir, "r.json"), path.join(dir, "copy.json"));
    symlinkSync("r.json", path.join(dir, "link.json"));
    linkSync(path.join(dir, "r.json"), path.join(dir, "hard.json"));
    writeFileSync(path.join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a normal run writes its files whole and leaves no temporary file", () => {
    assert.equal(parseResult(JSON.parse(json.toString("utf8"))).status, "complete");
    assert.ok(parseJsonl(jsonl.toString("utf8")).lines.some((l) => l.type === "run-end"));
    assert.deepEqual(temporaries(dir), []);
  });

  // [the command line, what its one line says]; link.json is a symlink to r.json, hard.json a hard link of it
  const asInput: Array<[string, string]> = [
    ["report r.jsonl --json r.jsonl", "--json r.jsonl is the same file as the input r.jsonl"],
    ["report r.json --html ./r.json", "--html ./r.json is the same file as the input r.json"],
    ["report r.json --json link.json", "--json link.json is the same file as the input r.json"],
    ["report hard.json --markdown r.json", "--markdown r.json is the same file as the input hard.json"],
    ["merge r.json copy.json --json r.json", "--json r.json is the same file as the shard r.json"],
    ["compare copy.json r.json --markdown sub/../r.json", "--markdown sub/../r.json is the same file as the current result r.json"],
    [
      "--level minimal --target wss://127.0.0.1:1 --profile echo --ca ca.pem --json ca.pem",
      "--json ca.pem is the same file as --ca ca.pem: writing it would destroy it; choose another file",
    ],
  ];
  for (const [line, says] of asInput) {
    it(`refuses an output that is an input with exit 2 and leaves every file byte for byte (${line})`, async () => {
      const files = readdirSync(dir).filter((f) => lstatSync(path.join(dir, f)).isFile());
      const snapshot = new Map(files.map((f) => [f, readFileSync(path.join(dir, f))]));
      assertRefused(await runCli(line.split(" "), RUN_TIMEOUT_MS, dir), says);
      for (const [f, bytes] of snapshot) assert.ok(readFileSync(path.join(dir, f)).equals(bytes), `${f} is unchanged`);
      assert.deepEqual(readdirSync(dir).filter((f) => lstatSync(path.join(dir, f)).isFile()), files, "no file was added");
    });
  }

  const twoOutputs: Array<[string, string]> = [
    ["--level minimal --json out --jsonl ./out", "--json out and --jsonl ./out are the same file; give each output its own"],
    ["report r.jsonl --markdown out --prometheus sub/../out", "--markdown out and --prometheus sub/../out are the same file"],
    ["merge r.json --json out --html out", "--json out and --html out are the same file"],
    ["compare r.json copy.json --markdown out --json out", "--markdown out and --json out are the same file"],
    ["matrix --json out --html ./out", "--json out and --html ./out are the same file"],
  ];
  for (const [line, says] of twoOutputs) {
    it(`refuses two outputs on one path before anything runs (${line})`, async () => {
      assertRefused(await runCli(line.split(" "), RUN_TIMEOUT_MS, dir), says);
      assert.equal(existsSync(path.join(dir, "out")), false, "nothing was written");
    });
  }

  it("--jsonl refuses a file that already holds lines, naming --force, and leaves it byte for byte", async () => {
    copyFileSync(path.join(dir, "r.jsonl"), path.join(dir, "old.jsonl"));
    const run = await runCli(["--level", "minimal", "--suite", "message", "--jsonl", "old.jsonl"], RUN_TIMEOUT_MS, dir);
    assertRefused(run, /--jsonl old\.jsonl already holds \d+ bytes .*add --force to replace it/);
    assert.ok(readFileSync(path.join(dir, "old.jsonl")).equals(jsonl));
  });

  it("--jsonl with --force replaces the file with one run's stream, not the two runs appended", async () => {
    copyFileSync(path.join(dir, "r.jsonl"), path.join(dir, "forced.jsonl"));
    const args = ["--level", "minimal", "--suite", "message", "--jsonl", "forced.jsonl", "--force", "--no-color"];
    const run = await runCli(args, RUN_TIMEOUT_MS, dir);
    assertExit(run, 0);
    const [old, now] = [jsonl, readFileSync(path.join(dir, "forced.jsonl"))].map((b) => parseJsonl(b.toString("utf8")).lines);
    assert.equal(now.filter((l) => l.type === "run-start").length, 1, "one run-start line");
    assert.equal(now.filter((l) => l.type === "run-end").length, 1, "one run-end line");
    assert.notEqual(now[0].at, old[0].at, "the new run's stream, not the old one");
  });

  it("--force without --jsonl is refused", async () => {
    assertRefused(
      await runCli(["--level", "minimal", "--force"], RUN_TIMEOUT_MS, dir),
      /^wsstress: --force: applies to --jsonl FILE, and there is none; allowed: --force with --jsonl FILE$/m,
    );
  });

  it("report replaces an existing output whole and keeps its mode", async () => {
    const out = path.join(dir, "kept-mode.md");
    writeFileSync(out, "an earlier report\n", { mode: 0o640 });
    chmodSync(out, 0o640);
    assertExit(await runCli(["report", "r.jsonl", "--markdown", "kept-mode.md", "--quiet"], RUN_TIMEOUT_MS, dir), 0);
    assert.match(readFileSync(out, "utf8"), /minimal/);
    assert.equal(lstatSync(out).mode & 0o777, 0o640);
  });

  it("report writes through a symlink into its target, keeps the link, and leaves no temporary file", async () => {
    symlinkSync("target.json", path.join(dir, "to-target.json"));
    assertExit(await runCli(["report", "r.jsonl", "--json", "to-target.json", "--quiet"], RUN_TIMEOUT_MS, dir), 0);
    assert.ok(lstatSync(path.join(dir, "to-target.json")).isSymbolicLink(), "still a link");
    assert.equal(parseResult(JSON.parse(readFileSync(path.join(dir, "target.json"), "utf8"))).status, "complete");
    assert.deepEqual(temporaries(dir), []);
  });
});

/** Starts replacing `file` with `sizeMb` MB and kills the writer (SIGKILL) as soon as its temporary file appears. */
function killMidWrite(file: string, sizeMb: number): Promise<{ sawTemporary: boolean; printed: string }> {
  const { command, args } = runtimeCommand(runtime, WRITER);
  const child = spawn(command, [...args, file, String(sizeMb)], { stdio: ["ignore", "pipe", "inherit"] });
  let printed = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (printed += chunk));
  let sawTemporary = false;
  const poll = setInterval(() => {
    if (temporaries(path.dirname(file)).length === 0) return;
    sawTemporary = true;
    clearInterval(poll);
    process.kill(child.pid!, "SIGKILL");
  }, 2);
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) => {
    child.once("close", () => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ sawTemporary, printed });
    });
  });
}

describe(`a kill -9 mid-write on ${runtime}`, () => {
  it("leaves the earlier file byte for byte at its path, never a truncated one", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-kill-"));
    try {
      const file = path.join(dir, "r.json");
      const earlier = Buffer.from('{"an":"earlier complete result"}\n');
      writeFileSync(file, earlier);
      // 64 MB take about a second to write and sync here: the kill lands well inside that
      const { sawTemporary, printed } = await killMidWrite(file, 64);
      assert.ok(sawTemporary, `the kill was sent while the writer's temporary file stood (it printed ${JSON.stringify(printed)})`);
      assert.doesNotMatch(printed, /written/, "killed before the rename");
      assert.ok(readFileSync(file).equals(earlier), "the earlier file is whole and unchanged");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
