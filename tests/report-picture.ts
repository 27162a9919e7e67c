/**
 * The README's picture, from a real run: `npm run picture` runs the quick
 * benchmark through the CLI (`wsstress --quick --html`) on the runtime that
 * runs this file, opens the HTML report in headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core) and writes two parts of the
 * page: its top (the run and the throughput across levels) to
 * docs/report-quick.png, the latency distributions to
 * docs/report-quick-latency.png. It prints the caption the README gives them.
 * The verdict marks need a font that draws ✅ ⚠️ ❌ (Debian:
 * fonts-noto-color-emoji).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { runtimeCommand } from "../src/host/server-process.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { CHROMIUM } from "./_browser.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TOP = join(ROOT, "docs", "report-quick.png");
const LATENCY = join(ROOT, "docs", "report-quick-latency.png");
const WIDTH = 1200;

// Chromium draws a box for a mark no font has: a picture of boxes is no picture of the report
const fonts = spawnSync("fc-list", [":charset=2705"], { encoding: "utf8" });
if (!fonts.stdout?.trim()) throw new Error("no font here draws ✅ (U+2705): install one, e.g. apt-get install fonts-noto-color-emoji");

const dir = mkdtempSync(join(tmpdir(), "wsstress-picture-"));
try {
  const html = join(dir, "report.html");
  const json = join(dir, "result.json");
  const { command, args } = runtimeCommand(detectRuntime(), join(ROOT, "src", "bin", "cli.ts"));
  const flags = ["--quick", "--html", html, "--json", json, "--no-color"];
  const run = spawnSync(command, [...args, ...flags], { stdio: ["ignore", "ignore", "inherit"] });
  if (run.status !== 0) throw new Error(`the quick run exited ${run.status}`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    await page.goto(`file://${html}`);
    await page.screenshot({ path: TOP, clip: { x: 0, y: 0, width: WIDTH, height: 960 } });
    // the distributions' heading and their first two rows of charts
    const heading = page.locator("h2", { hasText: "Latency distribution" });
    const at = await heading.evaluate((h) => h.getBoundingClientRect().top + globalThis.scrollY);
    await page.screenshot({ path: LATENCY, fullPage: true, clip: { x: 0, y: Math.max(0, at - 16), width: WIDTH, height: 800 } });
  } finally {
    await browser.close();
  }

  const result = JSON.parse(readFileSync(json, "utf8"));
  const { runtime, machine } = result;
  const gib = (machine.memoryBytes / 2 ** 30).toFixed(0);
  // the machine's other work shows in every figure: say how busy it was
  const load = loadavg()[1].toFixed(1);
  console.log(`wrote ${TOP} and ${LATENCY}`);
  console.log(
    `caption: The HTML report of \`wsstress --quick --html report.html\` on ${runtime.name} ${runtime.version}, ` +
      `${machine.cores} cores (${machine.cpuModel}), ${gib} GiB, load average ${load} over the last 5 minutes, ` +
      `${result.startedAt.slice(0, 10)}: verdict ${result.verdict}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
