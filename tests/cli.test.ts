/**
 * The `wsstress` command end to end: `src/bin/cli.ts` spawned as a child process
 * on the runtime this test runs under (Node, Deno or Bun), exactly as a user
 * would start it, with its stdout, stderr and exit code checked.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertExit, type CliRun, runCli, runtime } from "./_cli.ts";
import { FLAGS } from "../src/cli/run-flags.ts";
import { LEVEL_NAMES, LEVELS } from "../src/model/levels.ts";
import { type MetricId, METRICS } from "../src/suites/metric-catalogue.ts";
import { parseResult, type Result, SUITE_NAMES } from "../src/model/result.ts";

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** bad input is rejected before any load starts; a generous bound for a slow, busy machine */
const USAGE_TIMEOUT_MS = 30_000;
/** one level, one or two suites: a few seconds, bounded well below bun's --timeout 120000 */
const RUN_TIMEOUT_MS = 90_000;

// deno-lint-ignore no-control-regex
const ANSI_ESCAPE = /\x1b\[/;

describe(`wsstress --help and --version on ${runtime}`, () => {
  let help: CliRun;
  before(async () => {
    help = await runCli(["--help"], USAGE_TIMEOUT_MS);
  });

  it("--help exits 0 and prints the help on stdout only", () => {
    assertExit(help, 0);
    assert.equal(help.stderr, "");
    assert.match(help.stdout, /^Usage: wsstress \[flags\]$/m);
  });

  it("--help lists every flag the parser accepts, each on its own row", () => {
    for (const [name, flag] of Object.entries(FLAGS)) {
      const short = "short" in flag ? `-${flag.short}, ` : "";
      assert.match(help.stdout, new RegExp(`^ +${short}--${name}\\b`, "m"), `--help lists --${name}`);
    }
  });

  it("--help names every level and every suite", () => {
    for (const level of LEVEL_NAMES) assert.match(help.stdout, new RegExp(`\\b${level}\\b`), `--help names level ${level}`);
    for (const suite of SUITE_NAMES) assert.match(help.stdout, new RegExp(`\\b${suite}\\b`), `--help names suite ${suite}`);
  });

  it("--version prints the version from package.json and exits 0", async () => {
    const run = await runCli(["--version"], USAGE_TIMEOUT_MS);
    assertExit(run, 0);
    assert.equal(run.stdout.trim(), PACKAGE_VERSION);
    assert.equal(run.stderr, "");
  });
});

describe(`wsstress rejects bad input with exit 2 on ${runtime}`, () => {
  // plain figures, and shares that pass only when whole, take no threshold
  const ids = Object.keys(METRICS) as MetricId[];
  const judgedByThreshold = (id: MetricId): boolean => METRICS[id].better !== "none" && METRICS[id].exact === undefined;
  const thresholdIds = ids.filter(judgedByThreshold);
  const plainIds = ids.filter((id) => !judgedByThreshold(id));
  const cases: Array<{ name: string; args: string[]; says: Array<string | RegExp>; saysNot?: string[] }> = [
    { name: "an unknown flag is named, and the user is pointed to --help", args: ["--bogus"], says: ["--bogus", "--help"] },
    {
      name: "a mistyped flag gets the nearest one, and no advice about --",
      args: ["--levle", "minimal"],
      says: ['wsstress: --levle: unknown flag (did you mean "--level"?)'],
      saysNot: ["positional"],
    },
    {
      name: "a mistyped level gets the nearest one",
      args: ["--level", "hgih"],
      says: ['wsstress: --level: unknown level "hgih" (did you mean "high"?); allowed: minimal, light'],
    },
    {
      name: "a mistyped threshold id gets the nearest one as in the builder",
      args: ["--threshold", "message.wire.rtt_p99=5,20"],
      says: ['--threshold: unknown metric id "message.wire.rtt_p99" (did you mean "message.wire.rtt_p99_ms"?); allowed: '],
    },
    {
      name: "a mistyped profile gets the nearest one",
      args: ["--profile", "ech", "--target", "ws://127.0.0.1:9/"],
      says: ['--profile: unknown profile "ech" (did you mean "echo"?)'],
    },
    {
      name: "a token for a mistyped role gets the nearest one",
      args: ["--token", "admn=x"],
      says: ['--token: unknown role "admn" (did you mean "admin"?); allowed: subscriber, publisher, admin'],
    },
    {
      name: "an unknown level is named, with every level listed from minimal to maximum",
      args: ["--level", "huge"],
      says: ['"huge"', LEVEL_NAMES.join(", ")],
    },
    { name: "an unknown suite is named, with every suite listed", args: ["--suite", "nope"], says: ['"nope"', SUITE_NAMES.join(", ")] },
    {
      name: "a --max-load below the smallest level says it selects no level and gives the smallest level's size",
      args: ["--max-load", "10"],
      says: ["10", "selects no level", String(LEVELS[0].operations)],
    },
    {
      name: "a --max-load that is not a number says so and what is allowed",
      args: ["--max-load", "abc"],
      says: ['wsstress: --max-load: "abc" is not a number; allowed: a number of operations, at least 1000'],
    },
    {
      name: "an unknown --fail-on value is named, with fail, warn and never listed",
      args: ["--fail-on", "sometimes"],
      says: ['"sometimes"', "fail, warn, never"],
    },
    {
      name: "a --window of 0 must be a positive integer",
      args: ["--window", "0"],
      says: ["wsstress: --window: Invalid value: Expected >=1 but received 0; allowed: a positive integer"],
    },
    {
      name: "a --p99-bound that is no number must be a number above 0",
      args: ["--p99-bound", "soon"],
      says: ["--p99-bound", '"soon"', "above 0"],
    },
    {
      name: "a threshold on an unknown metric is named, with every metric that takes a threshold listed and no plain figure",
      args: ["--threshold", "nope=1,2"],
      says: ['"nope"', ...thresholdIds],
      saysNot: plainIds,
    },
    {
      name: "a threshold on a share that must be whole is refused, naming the metric and the rule",
      args: ["--threshold", "message.wire.answered_pct=90,50"],
      says: ["message.wire.answered_pct", "passes only at exactly 100"],
    },
    {
      name: "a threshold whose excellent is looser than its good names the metric and the rule",
      args: ["--threshold", "message.wire.rtt_p99_ms=50,5"],
      says: ["message.wire.rtt_p99_ms", "excellent must be at least as strict as good"],
    },
    {
      name: "--quick together with --max-load is a conflict naming both flags",
      args: ["--quick", "--max-load", "1000"],
      says: ["--quick", "--max-load"],
    },
    {
      name: "--level together with --quick is a conflict naming both flags",
      args: ["--quick", "--level", "minimal"],
      says: ["--level", "--quick"],
    },
    {
      name: "an unknown --on-error policy is named, with continue and stop listed",
      args: ["--on-error", "maybe"],
      says: ['"maybe"', "continue, stop"],
    },
    {
      name: "a --timeout past what a timer can wait names the most it takes",
      args: ["--timeout", "3000000000"],
      says: ["timeout", "2147483647"],
    },
    {
      name: "a flag without its value names the flag",
      args: ["--level", "minimal", "--json"],
      says: ["wsstress: --json: needs a value; allowed: --json FILE"],
    },
    {
      name: "a negative number after a flag reaches the flag's own check",
      args: ["--rate", "-5"],
      says: ["wsstress: --rate: -5 is not above 0; allowed: a number of messages per second above 0"],
    },
    {
      name: "a flag followed by another flag instead of its value says how to give a value that starts with a dash",
      args: ["--json", "-q"],
      says: ['wsstress: --json: needs a value, and "-q" is a flag; allowed: --json FILE, or --json=-q for a value that starts with a dash'],
    },
    {
      name: "a threshold that is no number names the metric and the field",
      args: ["--threshold", "message.wire.rtt_p99_ms=1e,5"],
      says: ["message.wire.rtt_p99_ms", "excellent"],
    },
    {
      name: "an output file in a directory that does not exist is refused before any load",
      args: ["--level", "minimal", "--json", "/nonexistent-wsstress-dir/r.json"],
      says: ["--json", "/nonexistent-wsstress-dir", "does not exist"],
    },
  ];

  for (const c of cases) {
    it(`${c.name} (${c.args.join(" ")})`, async () => {
      const run = await runCli(c.args, USAGE_TIMEOUT_MS);
      assertExit(run, 2);
      assert.equal(run.stdout, "", "nothing on stdout: no report was started");
      assert.ok(run.stderr.startsWith("wsstress: "), `stderr starts with "wsstress: ": ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /^\s+at /m, "a usage error prints no stack trace");
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, `one line: ${run.stderr}`);
      for (const expected of c.says) {
        if (typeof expected === "string") {
          assert.ok(run.stderr.includes(expected), `stderr says ${JSON.stringify(expected)}: ${run.stderr}`);
        } else assert.match(run.stderr, expected);
      }
      for (const unexpected of c.saysNot ?? []) {
        assert.ok(!new RegExp(`\\b${unexpected.replaceAll(".", "\\.")}\\b`).test(run.stderr), `stderr does not offer ${unexpected}`);
      }
    });
  }
});

describe(`--quiet on ${runtime}`, () => {
  it("runs, writes the result, and prints no terminal report: stdout stays empty", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-quiet-"));
    try {
      const json = path.join(dir, "r.json");
      const run = await runCli(["--level", "minimal", "--suite", "message", "--json", json, "--quiet", "--no-color"], RUN_TIMEOUT_MS);
      assertExit(run, 0);
      assert.equal(run.stdout, "");
      assert.equal(parseResult(JSON.parse(readFileSync(json, "utf8"))).levels[0].suites[0].suite, "message");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`a real run at the minimal level on ${runtime}`, () => {
  let run: CliRun;
  let jsonText: string | undefined;
  let markdown: string | undefined;
  before(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-cli-"));
    try {
      const json = path.join(dir, "r.json");
      const md = path.join(dir, "r.md");
      run = await runCli([
        "--level",
        "minimal",
        "--suite",
        "message",
        "--suite",
        "broadcast",
        "--json",
        json,
        "--markdown",
        md,
        "--no-color",
      ], RUN_TIMEOUT_MS);
      try {
        jsonText = readFileSync(json, "utf8");
      } catch {
        jsonText = undefined;
      }
      try {
        markdown = readFileSync(md, "utf8");
      } catch {
        markdown = undefined;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 0 and reports no error", () => {
    assertExit(run, 0);
    assert.doesNotMatch(run.stderr, /^wsstress:/m);
  });

  it("shows progress on stderr: one line for the minimal level and one per suite, and no other level", () => {
    assert.match(run.stderr, /^▶ minimal \(1\/1\)/m);
    assert.equal(run.stderr.match(/^▶ /gm)?.length, 1, `exactly one level line:\n${run.stderr}`);
    for (const suite of ["message", "broadcast"]) {
      assert.match(run.stderr, new RegExp(`^ {2}\\S+ ${suite} +\\d`, "m"), `a progress line for ${suite}`);
    }
    assert.doesNotMatch(run.stderr, /^ {2}\S+ (connection|subscription|permission|compression) +\d/m);
  });

  it("prints the report on stdout with the summary, degradation and recommendations sections", () => {
    assert.ok(run.stdout.includes("Summary across levels"), "Summary across levels");
    assert.ok(run.stdout.includes("Degradation"), "Degradation");
    assert.ok(run.stdout.includes("Recommendations"), "Recommendations");
    assert.ok(!run.stdout.includes("▶ minimal"), "progress stays off stdout");
  });

  it("--no-color keeps ANSI escapes out of stdout and stderr", () => {
    assert.ok(run.stdout.length > 0);
    assert.doesNotMatch(run.stdout, ANSI_ESCAPE);
    assert.doesNotMatch(run.stderr, ANSI_ESCAPE);
  });

  it("writes a JSON result that validates and holds exactly the message and broadcast suites at minimal", () => {
    assert.ok(jsonText !== undefined, "the --json file was written");
    const result: Result = parseResult(JSON.parse(jsonText));
    assert.equal(result.runtime.name, runtime);
    assert.equal(result.tool.version, PACKAGE_VERSION);
    assert.deepEqual(result.plan.suites, ["message", "broadcast"]);
    assert.deepEqual(result.levels.map((l) => l.level.name), ["minimal"]);
    assert.deepEqual(result.levels[0].suites.map((s) => s.suite), ["message", "broadcast"]);
  });

  it("writes a markdown report naming the level and the round trips metric", () => {
    assert.ok(markdown !== undefined, "the --markdown file was written");
    assert.match(markdown, /\bminimal\b/);
    assert.ok(
      markdown.includes(METRICS["message.wire.round_trips_per_s"].label),
      `markdown has "${METRICS["message.wire.round_trips_per_s"].label}"`,
    );
    assert.doesNotMatch(markdown, ANSI_ESCAPE);
  });
});

describe(`--fail-on gates the exit code on ${runtime}`, () => {
  const impossible = [
    "--level",
    "minimal",
    "--suite",
    "permission",
    "--threshold",
    "permission.engine.checks_per_s=1e12,1e11",
    "--no-color",
  ];

  it("--fail-on fail exits 1 when an impossible threshold fails, after printing the report and writing the result", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wsstress-cli-"));
    try {
      const json = path.join(dir, "r.json");
      const run = await runCli([...impossible, "--fail-on", "fail", "--json", json], RUN_TIMEOUT_MS);
      assertExit(run, 1);
      assert.doesNotMatch(run.stderr, /^wsstress:/m, "exit 1 comes from the verdict, not from a crash");
      assert.ok(run.stdout.includes("Recommendations"), "the report was printed");
      const result = parseResult(JSON.parse(readFileSync(json, "utf8")));
      const checks = result.levels[0].suites.find((s) => s.suite === "permission")?.metrics.find((m) =>
        m.layer === "engine" && m.key === "checks_per_s"
      );
      assert.ok(checks, "permission.engine.checks_per_s is reported");
      assert.deepEqual(checks.threshold, { better: "higher", excellent: 1e12, good: 1e11 });
      assert.equal(checks.verdict, "fail");
      assert.equal(result.verdict, "fail");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--fail-on never exits 0 for the same failing run", async () => {
    const run = await runCli([...impossible, "--fail-on", "never"], RUN_TIMEOUT_MS);
    assertExit(run, 0);
    assert.doesNotMatch(run.stderr, /^wsstress:/m);
    assert.ok(run.stdout.includes("Recommendations"), "the report was printed");
  });
});
