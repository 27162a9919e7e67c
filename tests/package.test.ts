/**
 * wsstress installs the way each ecosystem expects. `npm pack` runs on a
 * copy of the sources (its prepack builds dist/ there, so a run never races
 * the working tree's dist/ or another run) and must hold built JavaScript and
 * declarations only. Installed into an empty folder outside the source tree,
 * the `wsstress` bin and examples/installed.ts run on the pinned Node;
 * `deno publish --dry-run` must accept the TypeScript sources for JSR. Each
 * runner then checks what is its own: Node the system's Node and the shipped
 * declarations, Deno the full publish type check and the npm install, Bun
 * `bun add` of the tarball. On every runtime: the docs' install lines (their
 * blocks marked `run: installed`) in a project made by `npm init -y`, a `.ts`
 * profile in such a `"type": "commonjs"` project, and the bin in a checkout.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { detectRuntime } from "../src/host/system-info.ts";
import { codeBlocks, commandLines, DOC_FILES, ownerOf } from "./_doc-blocks.ts";
import { type Spawned, spawnServer } from "./_spawn-server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const runtime = detectRuntime();
// the pinned toolchain first, as npm scripts have it, whichever runner runs this file
const env = { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}`, NO_COLOR: "1" };
const SYSTEM_NODE = "/usr/bin/node";
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  engines: { node: string };
};
const PINNED_NODE = (JSON.parse(readFileSync(join(ROOT, "node_modules", "node", "package.json"), "utf8")) as { version: string }).version;

type Ran = { code: number | null; stdout: string; stderr: string };
function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function ok(command: string, args: string[], cwd: string): Promise<Ran> {
  const ran = await run(command, args, cwd);
  assert.equal(ran.code, 0, `${command} ${args.join(" ")}\n${ran.stdout.slice(-1500)}\n${ran.stderr.slice(-2500)}`);
  return ran;
}

/** The parts of the tree that npm pack and deno publish read; editors' dotfiles (swap, temp) stay behind. */
function copySources(to: string): void {
  for (const file of ["mod.ts", "package.json", "deno.json", "tsconfig.json", "tsconfig.build.json", "README.md", "LICENSE"]) {
    if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(to, file));
  }
  cpSync(join(ROOT, "src"), join(to, "src"), { recursive: true, filter: (p) => !path.basename(p).startsWith(".") });
  symlinkSync(join(ROOT, "node_modules"), join(to, "node_modules"), "junction");
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js")).map((f) => join(dir, f));
}

/** `>=20`, `>=22.18.0`: whether `version` (x.y.z) satisfies a lower bound. */
function satisfies(version: string, range: string): boolean {
  const bound = (/^>=\s*([\d.]+)$/.exec(range)?.[1] ?? "").split(".").map(Number);
  const have = version.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (bound[i] ?? 0)) return (have[i] ?? 0) > (bound[i] ?? 0);
  return true;
}

/** A project as `npm init -y` makes it: `"type": "commonjs"` since npm 11. */
async function npmInit(dir: string): Promise<void> {
  mkdirSync(dir);
  await ok("npm", ["init", "-y"], dir);
  assert.equal(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).type, "commonjs");
}

/**
 * The docs' install lines, with the packed package in place of the registry's:
 * the one thing these lines cannot do before a release is fetch it by name.
 */
function installedLine(line: string, tarball: string): string {
  const npmInstall = `npm install --prefer-offline --no-audit --no-fund ${tarball}`;
  return line.replace(/^npm install wsstress$/, npmInstall).replace(/^bun add wsstress$/, `bun add ${tarball}`)
    .replace(/^deno add npm:wsstress$/, npmInstall);
}

const sh = (line: string, cwd: string): Promise<Ran> => run("/bin/sh", ["-c", line], cwd);

describe("the npm package and the JSR dry run", () => {
  let scratch: string;
  let source: string;
  let app: string;
  let tarball: string;
  let packed: string[];
  const installed = (...parts: string[]) => join(app, "node_modules", "wsstress", ...parts);

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "wsstress-package-"));
    source = join(scratch, "source");
    app = join(scratch, "app");
    mkdirSync(source);
    mkdirSync(app);
    copySources(source);
    const pack = await ok("npm", ["pack", "--json", "--pack-destination", scratch], source);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(scratch, info.filename);
    packed = info.files.map((f) => f.path);
    writeFileSync(join(app, "package.json"), JSON.stringify({ private: true, type: "module" }));
    // the registry is needed for ws, valibot, …: the local npm cache first
    await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], app);
    const example = readFileSync(join(ROOT, "examples", "installed.ts"), "utf8");
    writeFileSync(join(app, "stress.ts"), example);
    // the example has no type syntax, so Node versions that strip no types run it as .mjs
    writeFileSync(join(app, "stress.mjs"), example);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("packs built JavaScript and declarations with a bin and an exports map, and no sources or tests", () => {
    for (const file of packed) assert.match(file, /^(dist\/.+\.(js|d\.ts)|src\/bin\/wsstress\.js|package\.json|README\.md|LICENSE)$/, file);
    const expected = ["dist/mod.js", "dist/mod.d.ts", "dist/src/bin/cli.js", "dist/src/bin/serve.js", PKG.bin.wsstress];
    for (const file of expected) assert.ok(packed.includes(file), file);
    const targets = [
      ...Object.values(PKG.bin),
      ...Object.values(PKG.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t))),
    ];
    for (const target of targets) assert.ok(existsSync(installed(target)), `${target} is not in the installed package`);
    assert.match(readFileSync(installed(PKG.bin.wsstress), "utf8"), /^#!\/usr\/bin\/env node\n/);
    // Node refuses to strip types in node_modules: no built module may still import a .ts file
    // (doc comments may show one, as examples for the sources)
    for (const file of jsFiles(installed("dist"))) {
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      assert.doesNotMatch(code, /(from\s+|import\(\s*)["'][^"']+\.ts["']/, file);
    }
  });

  it(`npx wsstress runs the CLI from the installed package on the pinned Node ${PINNED_NODE}`, async () => {
    // `--` keeps npx from taking --json for its own flag
    const ran = await ok("npx", ["--no", "--", "wsstress", "--level", "minimal", "--suite", "message", "--json", "result.json"], app);
    assert.match(ran.stdout, /Summary across levels/);
    const result = JSON.parse(readFileSync(join(app, "result.json"), "utf8"));
    assert.deepEqual([result.runtime, result.tool.version, result.status], [
      { name: "node", version: PINNED_NODE },
      PKG.version,
      "complete",
    ]);
  });

  it(`examples/installed.ts runs from the installed package on the pinned Node ${PINNED_NODE}`, async () => {
    const ran = await ok("node", ["stress.ts"], app);
    assert.match(ran.stdout, new RegExp(`^wsstress ${PKG.version} on node: complete, verdict \\w+$`, "m"));
  });

  it("deno publish --dry-run accepts the TypeScript sources: exports, no slow types, a license", async () => {
    // the full type check belongs to Deno's own run; under the other runners tsc has checked the types already
    const args = ["publish", "--dry-run", "--allow-dirty", ...(runtime === "deno" ? [] : ["--no-check"])];
    const ran = await ok("deno", args, source);
    const out = ran.stdout + ran.stderr;
    assert.match(out, /Success Dry run complete/);
    // the one import known only at run time, a user's profile module: JSR has no way to silence its warning (denoland/deno#22594)
    const profileImport = /^warning\[unanalyzable-dynamic-import\].*\n\s*--> \S*\/src\/host\/user-module-import\.ts:/gm;
    const allowed = out.match(profileImport)?.length ?? 0;
    assert.ok(allowed <= 1, "one dynamic import of a profile module at most");
    assert.equal((out.match(/^(error|warning)\b/gim) ?? []).length, allowed, out);
  });

  // What only one runner checks: its own runtime, so `npm test` pays for each once.
  if (runtime === "node") {
    it("on the system's Node the built CLI runs; a .ts profile works from Node 22.18 or says in one line it needs it", async (t) => {
      // a machine without a system Node has only the pinned one, checked above
      if (!existsSync(SYSTEM_NODE)) return t.diagnostic(`no ${SYSTEM_NODE}`);
      const version = (await ok(SYSTEM_NODE, ["--version"], app)).stdout.trim().slice(1);
      assert.ok(satisfies(PINNED_NODE, PKG.engines.node), `engines.node ${PKG.engines.node} excludes the pinned Node ${PINNED_NODE}`);
      const cliArgs = [installed(PKG.bin.wsstress), "--level", "minimal", "--suite", "message", "--json", "system.json"];
      const cli = await ok(SYSTEM_NODE, cliArgs, app);
      assert.match(cli.stdout, /Summary across levels/);
      assert.deepEqual(JSON.parse(readFileSync(join(app, "system.json"), "utf8")).runtime, { name: "node", version });
      const example = await ok(SYSTEM_NODE, ["stress.mjs"], app);
      assert.match(example.stdout, /^wsstress \S+ on node: complete/m);
      const typed = `export default { name: "typed", echo: { request: (d: string) => d, reply: (f: string) => f } };\n`;
      writeFileSync(join(app, "system-profile.ts"), typed);
      const args = [installed(PKG.bin.wsstress), "--target", "ws://127.0.0.1:9/", "--profile", "./system-profile.ts", "--level", "minimal"];
      const profile = await run(SYSTEM_NODE, args, app);
      if (satisfies(version, PKG.engines.node)) return assert.doesNotMatch(profile.stderr, /could not be loaded/);
      // below engines (Node 20 here): the one line that says what is needed
      assert.equal(profile.code, 2, profile.stderr);
      assert.match(profile.stderr, /^wsstress: profile module \S+system-profile\.ts could not be loaded: /);
      assert.match(profile.stderr, /: a TypeScript module needs Node ≥ 22\.18, which strips types \(this is Node v[\d.]+\)/);
      assert.equal(profile.stderr.trim().split("\n").length, 1, profile.stderr);
    });

    it("the shipped declarations type-check the example as a user's project, strictly and without skipLibCheck", async () => {
      const compilerOptions = { target: "ES2023", module: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] };
      writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["stress.ts"] }));
      await ok(join(BIN, "tsc"), ["-p", "tsconfig.json"], app);
    });
  }

  if (runtime === "deno") {
    it("examples/installed.ts runs on Deno from the npm install", async () => {
      const ran = await ok("deno", ["run", "-A", "stress.ts"], app);
      assert.match(ran.stdout, /^wsstress \S+ on deno: complete/m);
    });
  }

  if (runtime === "bun") {
    it("bun add installs the tarball; bunx --bun runs the bin and bun runs the example", async () => {
      const bunApp = join(scratch, "bun-app");
      mkdirSync(bunApp);
      writeFileSync(join(bunApp, "package.json"), JSON.stringify({ private: true, type: "module" }));
      await ok("bun", ["add", tarball], bunApp);
      writeFileSync(join(bunApp, "stress.ts"), readFileSync(join(app, "stress.ts")));
      // without --bun, bunx honours the bin's `#!/usr/bin/env node`
      await ok("bunx", ["--bun", "wsstress", "--level", "minimal", "--suite", "message", "--json", "bun.json"], bunApp);
      assert.equal(JSON.parse(readFileSync(join(bunApp, "bun.json"), "utf8")).runtime.name, "bun");
      const ran = await ok("bun", ["stress.ts"], bunApp);
      assert.match(ran.stdout, /^wsstress \S+ on bun: complete/m);
    });
  }

  describe("the docs' install lines", () => {
    const mine = DOC_FILES.flatMap(codeBlocks).filter((b) => b.mark?.kind === "installed")
      .map((b) => ({ block: b, lines: commandLines(b).filter((l) => ownerOf(l) === runtime) }))
      .filter((b) => b.lines.length > 0);

    it(`hold lines for ${runtime}`, () => assert.ok(mine.length > 0, `no block marked "run: installed" has a ${runtime} line`));

    it(`run on ${runtime} as written in a project made by npm init -y, the packed package standing in for the registry's`, async () => {
      const project = join(scratch, `docs-${runtime}`);
      await npmInit(project);
      for (const { block, lines } of mine) {
        for (const line of lines) {
          const ran = await sh(installedLine(line, tarball), project);
          assert.equal(ran.code, 0, `${block.file}:${block.line}: ${line}\n${ran.stderr.slice(-2500)}`);
          if (/--help/.test(line)) assert.match(ran.stdout, /^Usage: wsstress/m, line);
          if (/--json result\.json/.test(line)) {
            assert.match(ran.stdout, /Summary across levels/, line);
            assert.equal(JSON.parse(readFileSync(join(project, "result.json"), "utf8")).runtime.name, runtime, line);
          }
        }
      }
    });
  });

  describe(`a .ts profile in a project made by npm init -y ("type": "commonjs"), on ${runtime}`, () => {
    let project: string;
    let server: Spawned;
    before(async () => {
      project = join(scratch, `commonjs-${runtime}`);
      await npmInit(project);
      await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project);
      // type syntax, an import by the package's name and one of the project's own modules: all three must load
      writeFileSync(join(project, "frames.ts"), "export const same = (frame: string): string => frame;\n");
      writeFileSync(
        join(project, "echo-profile.ts"),
        [
          `import { defineProtocol } from "wsstress";`,
          `import { same } from "./frames.ts";`,
          `const name: string = "typed-echo";`,
          `export default defineProtocol({ name, echo: { request: same, reply: same } });`,
        ].join("\n") + "\n",
      );
      server = await spawnServer(join(BIN, "node"), [join(ROOT, "tests", "fixtures", "ws-echo-server.ts")]);
    });
    after(() => server?.stop());

    it("loads it, in the CLI and in each worker process, and runs the message suite against an echo server", async () => {
      const flags = ["--target", server.url, "--profile", "./echo-profile.ts", "--level", "minimal", "--suite", "message"];
      // 10 connections, at most 5 a process: two workers, each loading the profile again by its path
      const more = ["--connections-per-process", "5", "--json", "commonjs.json"];
      const bin = { node: ["npx", "wsstress"], deno: ["deno", "run", "-A", "npm:wsstress"], bun: ["bunx", "--bun", "wsstress"] }[runtime];
      const ran = await ok(bin[0], [...bin.slice(1), ...flags, ...more], project);
      assert.match(ran.stdout, /Summary across levels/);
      const result = JSON.parse(readFileSync(join(project, "commonjs.json"), "utf8"));
      const message = result.levels[0].suites[0];
      const seen = [result.runtime.name, result.plan.profile?.name, message.suite, message.status];
      assert.deepEqual(seen, [runtime, "typed-echo", "message", "ok"]);
      assert.equal(message.metrics.find((m: { key: string }) => m.key === "errors").value, 0);
      assert.equal(result.levels[0].resources?.workerProcesses, 2, JSON.stringify(result.levels[0].resources));
    });
  });

  describe(`the bin in a checkout, on ${runtime}`, () => {
    let checkout: string;
    before(() => {
      checkout = join(scratch, `checkout-${runtime}`);
      mkdirSync(checkout);
      copySources(checkout); // no dist/: the bin must run the TypeScript sources
    });

    it("runs the TypeScript sources", async () => {
      const args = { node: [PKG.bin.wsstress], deno: ["run", "-A", PKG.bin.wsstress], bun: [PKG.bin.wsstress] }[runtime];
      const ran = await ok(runtime, [...args, "--version"], checkout);
      assert.equal(ran.stdout.trim(), PKG.version);
      assert.ok(!existsSync(join(checkout, "dist")));
    });

    if (runtime === "node") {
      it("on a Node that strips no types, says in one line what it needs, with exit 2", async (t) => {
        if (!existsSync(SYSTEM_NODE)) return t.diagnostic(`no ${SYSTEM_NODE}`);
        const version = (await ok(SYSTEM_NODE, ["--version"], checkout)).stdout.trim();
        if (satisfies(version, PKG.engines.node)) return t.diagnostic(`the system's Node ${version} strips types`);
        const ran = await run(SYSTEM_NODE, [PKG.bin.wsstress, "--help"], checkout);
        assert.equal(ran.code, 2);
        const needs = "wsstress: this checkout's TypeScript sources need Node ≥ 22.18, Deno ≥ 2.7.5 or Bun ≥ 1.2, ";
        assert.ok(ran.stderr.startsWith(needs), ran.stderr);
        assert.ok(ran.stderr.includes(`and this is Node ${version}; `), ran.stderr);
        assert.equal(ran.stderr.trim().split("\n").length, 1);
      });
    }
  });
});
