/**
 * Opens an HTML report in headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core) and reads back what it drew: every chart's
 * marks with their size, color and figures, every console error, and every
 * request that left the file (there must be none).
 */
import { chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export type Mark = { kind: string; width: number; height: number; fill: string; data: Record<string, string> };
export type Figure = {
  chart: string;
  data: Record<string, string>;
  marks: Mark[];
  /** figures printed in the chart: value labels, marker labels, data-table cells */
  printed: Array<{ text: string; data: Record<string, string> }>;
};
export type Inspection = { title: string; figures: Figure[]; problems: string[]; levels: string[] };

/** What the page shows now: only figures that are displayed. */
function readFigures(): Figure[] {
  const data = (el: Element) => ({ ...(el as HTMLElement | SVGElement).dataset }) as Record<string, string>;
  return [...document.querySelectorAll("figure[data-chart]")]
    .filter((f) => !(f as HTMLElement).hidden)
    .map((f) => ({
      chart: (f as HTMLElement).dataset.chart ?? "",
      data: data(f),
      marks: [...f.querySelectorAll("circle.point, rect.bar, polyline.line")].map((m) => {
        const box = m.getBoundingClientRect();
        return { kind: m.tagName, width: box.width, height: box.height, fill: getComputedStyle(m).fill, data: data(m) };
      }),
      printed: [...f.querySelectorAll("text.value, text.marker-label, td[data-value]")].map((t) => ({
        text: t.textContent ?? "",
        data: data(t),
      })),
    }));
}

/**
 * Every figure of the page, going through each level of the distribution
 * picker so the figures it hides are drawn and read too.
 */
export async function inspectReport(file: string, screenshot?: string): Promise<Inspection> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) problems.push(`request: ${r.url()}`);
    });
    await page.goto(`file://${file}`);
    const figures = await page.evaluate(readFigures);
    const levels = await page.locator("#distribution-level option").allTextContents();
    const shown = await page.locator("#distribution-level").inputValue().catch(() => "");
    for (const level of levels.filter((l) => l !== shown)) {
      await page.selectOption("#distribution-level", level);
      figures.push(...(await page.evaluate(readFigures)).filter((f) => f.chart === "distribution"));
    }
    if (shown) await page.selectOption("#distribution-level", shown);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { title: await page.title(), figures, problems, levels };
  } finally {
    await browser.close();
  }
}
