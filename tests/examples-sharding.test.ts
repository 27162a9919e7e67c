/**
 * The sharding examples run: the wsstress command lines of the Kubernetes
 * manifests (examples/kubernetes/) and of the GitHub Actions workflow
 * (examples/github-actions/) are read from the files, given a local server,
 * each shard's index, a start time, a scratch directory and a tiny level,
 * and run for real: the server line, every shard at once, then the merge.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseResult } from "../src/model/result.ts";
import { assertExit, ROOT, runCli, runtime } from "./_cli.ts";
import { type Served, startServe } from "./_serve.ts";

const read = (file: string): string => readFileSync(path.join(ROOT, "examples", file), "utf8");

/** Every wsstress command line of a file: the text from `wsstress` (or `npx -- wsstress`) on, comments left out. */
function commandLines(text: string): string[] {
  return text.split("\n").filter((l) => !l.trim().startsWith("#")).flatMap((l) => {
    const match = /(?:npx -- )?\bwsstress\s.*$/.exec(l);
    return match ? [match[0].trim()] : [];
  });
}

/** `$VAR`, `${VAR}` and GitHub's `${{ expr }}` from `env`; a name `env` lacks is an error, not an empty string. */
function expand(line: string, env: Record<string, string>): string {
  const lookup = (name: string): string => {
    if (!Object.hasOwn(env, name)) throw new Error(`the example uses ${name}, which this test does not provide: ${line}`);
    return env[name];
  };
  return line
    .replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, name: string) => lookup(name))
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => lookup((a ?? b)!));
}

/** Shell words: split on blanks outside double quotes, quotes removed (all these examples need). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/**
 * A shard line made small and local: the CLI instead of the installed bin, a
 * tiny level and two suites instead of the example's, files in `dir`.
 */
function localArgs(line: string, dir: string): string[] {
  const args = words(line).slice(line.startsWith("npx") ? 3 : 1);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--level") i++;
    else out.push(args[i].replace(/^\/results\//, `${dir}/`).replace(/^(shard-\d\.json|merged\.\w+)$/, `${dir}/$1`));
  }
  return out;
}

function runExample(
  name: string,
  files: string[],
  shardEnv: (index: number, startAt: string, target: string) => Record<string, string>,
): void {
  describe(`${name} (${runtime})`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wsstress-example-"));
    let served: Served;
    after(async () => {
      await served?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("runs every shard line against one server with a common start, then the merge line", async () => {
      const lines = files.flatMap((f) => commandLines(read(f)));
      const serveLine = commandLines(read("kubernetes/server.yaml"))[0];
      const shardLine = lines.find((l) => l.includes("--shard"));
      const mergeLine = lines.find((l) => /wsstress merge /.test(l));
      assert.ok(shardLine && mergeLine, `${files.join(" and ")} hold a shard line and a merge line`);
      assert.match(serveLine, /wsstress serve .*--host 0\.0\.0\.0 .*--allow-remote/);
      // the server line as written, but on loopback and any free port
      served = await startServe(localArgs(serveLine, dir).slice(1).map((a) => (a === "0.0.0.0" ? "127.0.0.1" : a === "8080" ? "0" : a)));
      const startAt = new Date(Date.now() + 5_000).toISOString();
      const shards = await Promise.all([0, 1, 2].map((i) => {
        const args = localArgs(expand(shardLine, shardEnv(i, startAt, served.url)), dir);
        return runCli([...args, "--level", "minimal", "--suite", "message", "--suite", "broadcast"], 120_000);
      }));
      for (const run of shards) assertExit(run, 0);
      const merge = await runCli(localArgs(mergeLine, dir), 60_000);
      // --fail-on fail in the example: exit 1 is a verdict on this busy machine, not a broken merge
      assert.ok(merge.code === 0 || merge.code === 1, `merge exited ${merge.code}\n${merge.stderr}`);
      const merged = parseResult(JSON.parse(readFileSync(path.join(dir, "merged.json"), "utf8")));
      assert.equal(merged.merged?.shards, 3);
      assert.equal(merged.status, "complete");
      assert.equal(merged.levels[0].suites.find((s) => s.suite === "broadcast")?.metrics.find((m) => m.key === "subscribers")?.value, 5);
    });
  });
}

runExample(
  "the Kubernetes Indexed Job and merge Job",
  ["kubernetes/shards-job.yaml", "kubernetes/merge-job.yaml"],
  (i, startAt, target) => ({
    JOB_COMPLETION_INDEX: String(i),
    SHARDS: "3",
    START_AT: startAt,
    TARGET: target,
  }),
);

describe("the Kubernetes manifests", () => {
  it("run one shard per index of an Indexed Job, and merge the files it writes", () => {
    const merge = commandLines(read("kubernetes/merge-job.yaml"));
    assert.equal(merge.length, 1);
    assert.match(merge[0], /^wsstress merge \/results\/shard-0\.json \/results\/shard-1\.json \/results\/shard-2\.json --json /);
    const job = read("kubernetes/shards-job.yaml");
    assert.match(job, /completionMode: Indexed/);
    assert.match(job, /completions: 3\n\s+parallelism: 3/);
    assert.match(job, /"\/results\/shard-\$JOB_COMPLETION_INDEX\.json"/);
  });
});

runExample("the GitHub Actions matrix workflow", ["github-actions/sharded-load.yml"], (i, startAt, target) => ({
  "matrix.shard": String(i),
  "needs.plan.outputs.start-at": startAt,
  TARGET: target,
}));
