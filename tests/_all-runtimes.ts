/**
 * `npm test`'s last step: the tests under Node, Deno and Bun side by side
 * (`npm run test:node`, `test:deno`, `test:bun`), every line of each
 * prefixed with its runtime as it comes, then each one's wall time and exit
 * code. The suites mostly wait (paced phases at a set rate, servers in
 * child processes, timeouts), so three at once share 2 cores well; one
 * after another, CI took 3,598 s.
 *
 * Exits 0 when all three passed, else the first failing one's code.
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { createInterface } from "node:readline";

const RUNTIMES = ["node", "deno", "bun"] as const;

type Outcome = { runtime: string; code: number; seconds: number };

function testsUnder(runtime: string): Promise<Outcome> {
  const started = performance.now();
  const child = spawn("npm", ["run", "--silent", `test:${runtime}`], { stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => process.stdout.write(`[${runtime}] ${line}\n`));
  }
  return new Promise((resolve) => {
    child.once("error", (error) => {
      process.stdout.write(`[${runtime}] could not start: ${error.message}\n`);
      resolve({ runtime, code: 1, seconds: 0 });
    });
    child.once("close", (code, signal) => {
      if (signal) process.stdout.write(`[${runtime}] killed by ${signal}\n`);
      resolve({ runtime, code: code ?? 1, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const outcomes = await Promise.all(RUNTIMES.map(testsUnder));
for (const { runtime, code, seconds } of outcomes) {
  console.log(`${runtime}: ${code === 0 ? "passed" : `failed (exit ${code})`} in ${seconds.toFixed(0)} s`);
}
process.exitCode = outcomes.find((o) => o.code !== 0)?.code ?? 0;
