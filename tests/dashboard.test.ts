/**
 * The live dashboard of a real run, opened in headless Chromium while the run
 * goes: its charts change from one moment to the next, the page asks nothing
 * of any other server and logs no error, and when the run ends it becomes
 * the final report, the very page `--html` writes, with the JSON's figures.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { stress } from "../mod.ts";
import type { Result } from "../src/model/result.ts";
import { MARKS } from "../src/report/format.ts";
import { CHROMIUM } from "./_browser.ts";
import { runtime } from "./_cli.ts";

/** What the page shows of the message suite at one moment. */
type Moment = { samples: number; latest: number; heading: string; done: number };

function readMoment(): Moment | null {
  const figure = document.querySelector('figure[data-chart="live-rate"][data-suite="message"][data-level="paced"]') as HTMLElement | null;
  const heading = document.querySelector('.live-suite[data-suite="message"] h3')?.textContent ?? "";
  if (!figure) return null;
  const done = /([\d,]+)\/[\d,]+ round trips answered/.exec(heading)?.[1];
  return {
    samples: Number(figure.dataset.samples),
    latest: Number(figure.dataset.latest ?? NaN),
    heading,
    done: Number((done ?? "0").replaceAll(",", "")),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`the live dashboard of a real run on ${runtime}`, () => {
  // minimal first (a finished level beside the live charts), then the paced level: its closed loop is over in a blink,
  // and its paced phase at 400/s lasts 5 s (2,000 samples), long enough for the page to be read several times
  const paced = { name: "paced", operations: 4_000, connections: 20, messagesPerConnection: 200, subscribers: 10 };
  let browser: Browser;
  let page: Page;
  let url = "";
  let result: Result;
  let html: string;
  const moments: Moment[] = [];
  const problems: string[] = [];
  let finalPage: { title: string; outerHtml: string; embedded: string; points: Array<Record<string, string>> };
  let sameReport: string;
  const screenshot = path.join(os.tmpdir(), `wsstress-dashboard-${runtime}.png`);

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith("data:")) problems.push(`request: ${r.url()}`);
    });
    let opened: Promise<unknown> = Promise.resolve();
    const running = stress().levels("minimal", paced).suite("message", "broadcast").rate(400).dashboard({ port: 0 })
      .onProgress((e) => {
        if (e.type === "dashboard") (url = e.url), (opened = page.goto(url));
      })
      .run({ signal: AbortSignal.timeout(180_000) });
    // read the page every 600 ms until it holds the final report
    let shot = false;
    for (let i = 0; i < 300; i++) {
      await sleep(600);
      await opened;
      const final = await page.evaluate(() => document.getElementById("wsstress-result") !== null).catch(() => false);
      if (final) break;
      const moment = await page.evaluate(readMoment).catch(() => null);
      if (moment) moments.push(moment);
      if (moment && moment.samples >= 4 && !shot) shot = Boolean(await page.screenshot({ path: screenshot, fullPage: true }));
    }
    const report = await running;
    result = report.json;
    html = report.html();
    await page.waitForFunction(() => document.getElementById("wsstress-result") !== null, null, { timeout: 30_000 });
    finalPage = await page.evaluate(() => ({
      title: document.title,
      outerHtml: document.documentElement.outerHTML,
      embedded: document.getElementById("wsstress-result")!.textContent ?? "",
      points: [...document.querySelectorAll('figure[data-chart="throughput"] circle.point')].map((c) =>
        ({ ...(c as SVGElement).dataset }) as Record<string, string>
      ),
    }));
    // the same report loaded as --html writes it, to compare the two documents
    const other = await browser.newPage();
    await other.setContent(html);
    sameReport = await other.evaluate(() => document.documentElement.outerHTML);
  });
  after(async () => {
    await browser?.close();
  });

  it("shows the suite's charts changing while it runs: more samples and more round trips at each moment", () => {
    const during = moments.filter((m) => m.samples > 0);
    const distinct = new Set(during.map((m) => `${m.samples}/${m.done}`));
    assert.ok(distinct.size >= 3, `the page read ${during.length} moments of the paced level, ${distinct.size} distinct: ${[...distinct]}`);
    for (let i = 1; i < during.length; i++) {
      assert.ok(during[i].done >= during[i - 1].done, `round trips went back: ${during[i - 1].done} → ${during[i].done}`);
    }
    assert.ok(
      during.some((m) => m.latest > 100 && m.latest < 5_000),
      `a live rate near the 400/s asked for: ${during.map((m) => Math.round(m.latest))}`,
    );
    assert.ok(during.some((m) => /ETA/.test(m.heading)), "the suite's heading gives its ETA");
  });

  it("asks nothing of any other server and logs no error", () => {
    assert.ok(url.startsWith("http://127.0.0.1:"), url);
    assert.deepEqual(problems, []);
  });

  it("ends as the final report: the very page --html writes, holding the JSON result and its figures", () => {
    assert.equal(finalPage.title, `wsstress report: ${MARKS[result.verdict]} ${result.verdict}`);
    assert.equal(finalPage.outerHtml, sameReport, "the document differs from the --html page");
    assert.deepEqual(JSON.parse(finalPage.embedded), JSON.parse(JSON.stringify(result)));
    const rate = (level: string) =>
      result.levels.find((l) => l.level.name === level)!.suites.find((s) => s.suite === "message")!.metrics.find((m) =>
        m.key === "round_trips_per_s"
      )!.value;
    const drawn = finalPage.points.filter((p) => p.suite === "message" && p.key === "round_trips_per_s");
    assert.deepEqual(drawn.map((p) => [p.level, Number(p.value)]), [["minimal", rate("minimal")], ["paced", rate("paced")]]);
  });
});
