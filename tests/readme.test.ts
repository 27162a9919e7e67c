/**
 * Every code block in README.md and docs/*.md runs, so none rots:
 * - each TypeScript block is a file in examples/ that a test runs (here, or in
 *   examples-servers.test.ts and package.test.ts, which start servers or
 *   install the package);
 * - each shell command line runs as written, on the runtime it names (`npx
 *   wsstress`, `npm`, `node` on Node, `deno` on Deno, `bun`/`bunx` on Bun), in
 *   document order, from a directory that looks like this checkout, so files
 *   an earlier line writes are there for a later one;
 * - generated blocks (help, metric catalogue, result fields) match the code;
 * - a block that cannot run says why in a marker (see _doc-blocks.ts), and is
 *   counted.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import process from "node:process";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { type Block, codeBlocks, commandLines, DOC_FILES, GENERATED, ownerOf, readBlock, readDoc, ROOT } from "./_doc-blocks.ts";

const runtime = detectRuntime();
const blocks = DOC_FILES.flatMap(codeBlocks);

/** The examples this file runs, and what each must print. */
const RUN_HERE = [
  "quick-start.ts",
  "ci-gate.ts",
  "custom-level.ts",
  "html-and-baseline.ts",
  "compare-runtimes.ts",
  "shards.ts",
  "ticker-scenario.ts",
  "progress-log.ts",
  "conformance.ts",
];
/** Examples that need a server or the installed package: the test that runs each. */
const RUN_ELSEWHERE: Record<string, string> = {
  "stress-hono.ts": "examples-servers.test.ts",
  "stress-deno-echo.ts": "examples-servers.test.ts",
  "stress-bun-topics.ts": "examples-servers.test.ts",
  "stress-chat-room.ts": "examples-servers.test.ts",
  "stress-chat.ts": "examples-servers.test.ts",
  "stress-actioncable.ts": "examples-servers.test.ts",
  "stress-socketio.ts": "examples-servers.test.ts",
  "stress-graphql-ws.ts": "examples-servers.test.ts",
  "stress-mqtt.ts": "examples-servers.test.ts",
  "servers/socketio.ts": "examples-servers.test.ts",
  "installed.ts": "package.test.ts",
};
// a profile runs with the script that imports it
const IMPORTED_BY: Record<string, string> = {
  "bun-topics-profile.ts": "stress-bun-topics.ts",
  "chat-room-scenario.ts": "stress-chat-room.ts",
  "chat-profile.ts": "stress-chat.ts",
  "actioncable-profile.ts": "stress-actioncable.ts",
  "socketio-handler.ts": "servers/socketio.ts",
};

const EXAMPLES = join(ROOT, "examples");
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ts"));
const exampleOf = (block: Block): string | undefined => exampleFiles.find((f) => readFileSync(join(EXAMPLES, f), "utf8") === block.body);
const where = (block: Block): string => `${block.file}:${block.line}`;

type Kind = "run here" | "run by another test" | "generated" | "not run";
function kindOf(block: Block): Kind {
  if (block.generated) return "generated";
  if (block.mark?.kind === "not run") return "not run";
  if (block.lang === "ts") return RUN_HERE.includes(exampleOf(block) ?? "") ? "run here" : "run by another test";
  if (block.mark?.kind === "installed") return "run by another test";
  if (block.lang === "sh" || block.lang === "console") return "run here";
  throw new Error(`${where(block)}: a \`${block.lang || "plain"}\` block is neither generated nor run; mark it <!-- not run: why -->`);
}

type Ran = { code: number | null; stdout: string; stderr: string };
const env = {
  ...process.env,
  PATH: `${join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
  NO_COLOR: "1",
  npm_config_update_notifier: "false",
};

function sh(line: string, cwd: string, extra: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const options = { cwd, env: { ...env, ...extra }, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 };
    execFile("/bin/sh", ["-c", line], options, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A directory that reads as this checkout (its files linked in) but keeps what the commands write. */
function checkoutView(): string {
  const dir = mkdtempSync(join(tmpdir(), "wsstress-docs-"));
  for (const entry of ["package.json", "deno.json", "mod.ts", "src", "examples", "docs", "node_modules", "tsconfig.json"]) {
    symlinkSync(join(ROOT, entry), join(dir, entry));
  }
  // npx links this checkout's bin into its cache the first time: a cache of the view's own, thrown away with it
  mkdirSync(join(dir, ".npm-cache"));
  return dir;
}

/** A server line started on a free port (`--port 0`, PORT=0) in a process group of its own, and its URL. */
function startServer(line: string, cwd: string): Promise<{ url: string; stop(): void }> {
  const child = spawn("/bin/sh", ["-c", line.replace(/--port \d+/, "--port 0")], {
    cwd,
    env: { ...env, PORT: "0", npm_config_cache: join(cwd, ".npm-cache") },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch { /* gone already */ }
  };
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error(`${line}: no URL within 60 s\n${out}`))), 60_000);
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const url = /wss?:\/\/[^\s"/]+/.exec(out)?.[0];
      if (url) (clearTimeout(timer), resolve({ url, stop }));
    });
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`${line}: exited with ${code} before printing a URL\n${out}`))));
  });
}

/** A line whose exit code may be a verdict: a gate (`--fail-on`) or a comparison. */
const endsOnVerdict = (line: string): boolean => /--fail-on|\bwsstress (compare|matrix)\b/.test(line);

/** A plain run of the command (not a subcommand, not --help): it ends with the summary. */
function isRun(line: string): boolean {
  const words = line.split(/\s+/);
  if (words.some((w) => /^(--help|-h|--version|-v|--quiet|-q)$/.test(w))) return false;
  const at = words.findIndex((w) => w === "wsstress" || w.endsWith("src/bin/cli.ts"));
  if (at < 0) return /^(deno task quick|npm start)\b/.test(line);
  return !/^(matrix|compare|merge|serve|report|alerts|schema|conform)$/.test(words[at + 1] ?? "");
}

describe("README.md and docs/", () => {
  it("hold every generated block as the code writes it: each --help, the metric catalogue, the fault classes, the result fields", () => {
    for (const [name, { file, render }] of Object.entries(GENERATED)) {
      assert.equal(readBlock(readDoc(file), name), render(), `${file}: the ${name} block is stale: run node tests/_doc-blocks.ts --write`);
    }
  });

  it("show TypeScript only as it stands in examples/, each file run by a test", () => {
    for (const block of blocks.filter((b) => b.lang === "ts")) {
      const file = exampleOf(block);
      assert.ok(file, `${where(block)}: a TypeScript block that is not an examples/ file:\n${block.body.slice(0, 200)}`);
      const runner = IMPORTED_BY[file] ?? file;
      const importer = IMPORTED_BY[file] ? readFileSync(join(EXAMPLES, runner), "utf8") : undefined;
      const from = path.posix.relative(path.posix.dirname(runner), file);
      const spec = from.startsWith(".") ? from : `./${from}`;
      if (importer !== undefined) assert.ok(importer.includes(`from "${spec}"`), `${runner} imports ${file}`);
      const test = RUN_ELSEWHERE[runner];
      const elsewhere = test !== undefined && readFileSync(join(ROOT, "tests", test), "utf8").includes(runner);
      assert.ok(RUN_HERE.includes(runner) || elsewhere, `no test runs examples/${file}`);
    }
  });

  it("run every code block, or say why not: the count of each kind, per file", () => {
    const none = (): Record<Kind, number> => ({ "run here": 0, "run by another test": 0, generated: 0, "not run": 0 });
    const counts = new Map<string, Record<Kind, number>>(DOC_FILES.map((f) => [f, none()]));
    for (const block of blocks) {
      const kind = kindOf(block);
      counts.get(block.file)![kind]++;
      if (block.mark?.kind === "not run") assert.ok(block.mark.why.length > 20, `${where(block)}: say why the block is not run`);
      if (kind !== "run here" || block.lang === "ts") continue;
      for (const line of commandLines(block)) {
        const hint = "start it with npx, npm, node, deno, bun or bunx, or mark the block";
        assert.ok(ownerOf(line), `${where(block)}: no runtime runs \`${line}\`; ${hint}`);
      }
    }
    const total = { blocks: 0, "run here": 0, "run by another test": 0, generated: 0, "not run": 0 };
    for (const [file, row] of counts) {
      console.log(`${file}: ${Object.entries(row).map(([k, n]) => `${n} ${k}`).join(", ")}`);
      for (const k of Object.keys(row) as Kind[]) total[k] += row[k];
      total.blocks += Object.values(row).reduce((a, b) => a + b, 0);
    }
    console.log(
      `${DOC_FILES.length} files, ${total.blocks} blocks: ${total["run here"]} run here, ` +
        `${total["run by another test"]} by another test, ${total.generated} generated, ${total["not run"]} not run`,
    );
    assert.ok(total["not run"] <= 6, `${total["not run"]} blocks are not run: a block that cannot run should be rare`);
  });

  it("say npm start is the quick run on Node", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.scripts.start, "node src/bin/cli.ts --quick");
    assert.match(readDoc("README.md"), /`npm start`/);
    assert.match(readFileSync(join(ROOT, ".ci/run"), "utf8"), /^npm test$/m);
  });

  for (const file of DOC_FILES) {
    const mine = codeBlocks(file).filter((b) => kindOf(b) === "run here" && b.lang !== "ts")
      .filter((b) => commandLines(b).slice(b.mark?.kind === "server" ? 1 : 0).some((l) => ownerOf(l) === runtime));
    if (mine.length === 0) continue;
    describe(`${file} on ${runtime}`, () => {
      let view: string;
      before(() => (view = checkoutView()));
      after(() => rmSync(view, { recursive: true, force: true }));

      it(`runs every ${runtime} command line as written, in order`, async () => {
        for (const block of mine) {
          const lines = commandLines(block);
          const server = block.mark?.kind === "server" ? await startServer(lines.shift()!, view) : undefined;
          try {
            for (const written of lines.filter((l) => ownerOf(l) === runtime)) {
              // the server listens on a free port, not on the one written
              const line = server ? written.replace(/wss?:\/\/(127\.0\.0\.1|localhost):\d+/g, server.url) : written;
              const ran = await sh(line, view, { npm_config_cache: join(view, ".npm-cache") });
              const codes = block.mark?.kind === "exit" && endsOnVerdict(line) ? block.mark.codes : [0];
              assert.ok(codes.includes(ran.code ?? -1), `${where(block)}: \`${line}\` exited ${ran.code}\n${ran.stderr.slice(-2500)}`);
              if (isRun(line) && ran.code !== 2) assert.match(ran.stdout, /Summary across levels/, `${where(block)}: ${line}`);
            }
          } finally {
            server?.stop();
          }
        }
      });
    });
  }

  describe(`the examples on ${runtime}`, () => {
    let scratch: string;
    before(() => (scratch = mkdtempSync(join(tmpdir(), "wsstress-examples-"))));
    after(() => rmSync(scratch, { recursive: true, force: true }));

    for (const file of RUN_HERE) {
      it(`examples/${file} runs`, async () => {
        const { command, args } = runtimeCommand(runtime, join(EXAMPLES, file));
        const ran = await new Promise<Ran>((resolve) => {
          execFile(command, args, { cwd: scratch, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
          });
        });
        assert.equal(ran.code, 0, ran.stderr);
        if (file === "quick-start.ts") assert.match(ran.stdout, /lost deliveries: 0$/m);
        if (file === "ci-gate.ts") {
          assert.match(ran.stdout, /status complete, verdict \w+, wrong allows 0/);
          assert.equal(JSON.parse(readFileSync(join(scratch, "wsstress-result.json"), "utf8")).levels[0].level.name, "minimal");
        }
        // minimal: 1,000 / 5 publishes to each of 5 subscribers, split 3 + 2 over the shards (the windowed run's, before the paced step)
        if (file === "shards.ts") assert.match(ran.stdout, /^merged 2 shards: 1000 broadcast deliveries$/m);
        // 10 virtual users: a subscribe and 20 publishes each as round trips, 20 deliveries awaited, an unsubscribe sent
        if (file === "ticker-scenario.ts") {
          assert.match(
            ran.stdout,
            /^ticker: 10 virtual users, 210 round trips, 200 quotes awaited, 10 frames sent unanswered, 210 checks$/m,
          );
        }
        // a rate judged on too few events or too short a span draws no trend: the engine rows always have the evidence,
        // and of them only fan-out times work the level sizes (the message engine's echo is the same at every level)
        if (file === "custom-level.ts") {
          assert.match(ran.stdout, /^broadcast engine fan-out deliveries: -?[\d.]+ % from minimal to chatRoom$/m);
          assert.doesNotMatch(ran.stdout, /^message engine/m);
        }
        if (file === "compare-runtimes.ts") {
          // two rounds are too few for the rank test: the figures, and no call
          assert.match(ran.stdout, /^minimal\.message\.wire\.round_trips_per_s: too-few, best median \S+/m);
          const matrix = JSON.parse(readFileSync(join(scratch, "wsstress-matrix.json"), "utf8"));
          assert.deepEqual(matrix.pairings.map((p: { id: string }) => p.id), ["node/bun", "deno/bun", "bun/bun"]);
        }
        if (file === "conformance.ts") {
          assert.match(ran.stdout, /^66 cases: \d+ OK, 0 failed$/m);
          assert.match(ran.stdout, /^under load: \d+ cases run, 0 protocol violations, close codes \{"1000":\d+,"1002":\d+,"1007":\d+\}$/m);
        }
        if (file === "progress-log.ts") {
          // 1,000 closed-loop round trips, then 2,000 paced at 400/s: 5 s of the suite, reported every 500 ms, then once more at its end
          const last = /^complete: \d+ lines, (\d+) of the suite's progress, the last 3000\/3000 round trips answered$/m;
          const [, progress] = last.exec(ran.stdout) ?? [];
          assert.ok(Number(progress) >= 3, ran.stdout);
          const log = readFileSync(join(scratch, "wsstress-progress.log"), "utf8").trimEnd().split("\n");
          const types = log.map((l) => JSON.parse(l).type);
          assert.deepEqual([types[0], types.at(-1)], ["run-start", "run-end"]);
        }
        if (file === "html-and-baseline.ts") {
          assert.match(ran.stdout, /^baseline saved$/m);
          assert.match(readFileSync(join(scratch, "wsstress-report.html"), "utf8"), /^<!doctype html>/);
        }
      });
    }
  });
});
