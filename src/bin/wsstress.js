#!/usr/bin/env node
// The `wsstress` command as package.json's bin names it. Plain JavaScript, so
// that every runtime can start it: in a checkout it runs the TypeScript sources
// (a checkout's dist/ may be older than its sources), in the npm package, which
// ships no sources, the built JavaScript.
import { existsSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";

const source = new URL("./cli.ts", import.meta.url);
const built = new URL("../../dist/src/bin/cli.js", import.meta.url);
// Deno and Bun run TypeScript as they are; Node strips types from 22.18 on (process.features.typescript)
const stripsTypes = "Deno" in globalThis || "Bun" in globalThis || Boolean(process.features?.typescript);

if (existsSync(fileURLToPath(source)) && stripsTypes) await import(source.href);
else if (existsSync(fileURLToPath(built))) await import(built.href);
else {
  process.stderr.write(
    "wsstress: this checkout's TypeScript sources need Node ≥ 22.18, Deno ≥ 2.7.5 or Bun ≥ 1.2, " +
      `and this is Node ${process.version}; run \`npx wsstress\` after \`npm install\` (it uses the pinned Node), ` +
      "or `npm run build` first\n",
  );
  process.exitCode = 2;
}
