/**
 * @module
 * The live dashboard's page: while a run goes, each suite of the level
 * running with its live charts (`live-suite-charts.ts`) and, beside them, its
 * figures at the levels already finished; below, the finished levels' charts
 * and summary, drawn by the HTML report's own code. The page fetches nothing
 * but its own server's event stream: each `view` event replaces the parts
 * that changed, and the `report` event replaces the whole page with the
 * final report, the very page `--html` writes.
 *
 * @example
 * ```ts
 * import { dashboardPage, dashboardParts } from "./dashboard-page.ts";
 * const page = dashboardPage(run); // served at /
 * const parts = dashboardParts(run); // { "live-status": "…", "live-suites": "…", "live-levels": "…" }, each an element's new HTML
 * ```
 */
import type { Level } from "../model/levels.ts";
import type { LevelResult, Plan, Result, SuiteName, SuiteResult } from "../model/result.ts";
import type { SuiteProgress } from "../model/suite-progress.ts";
import { formatBytes, formatDuration, formatNumber, mark, PLAIN } from "./format.ts";
import { latencySection, throughputSection } from "./_html-charts.ts";
import { CSS } from "./_html-style.ts";
import { colorMarks, htmlTable } from "./_html-table.ts";
import { liveCharts, type LiveSample } from "./live-suite-charts.ts";
import { summaryTable } from "./_sections.ts";
import { esc } from "./_svg.ts";

export type LiveSuite = { suite: SuiteName; samples: LiveSample[]; last?: SuiteProgress; result?: SuiteResult };

/** What the dashboard knows of the run so far. */
export type LiveRun = {
  state: "starting" | "warming up" | "waiting for the start time" | "running" | "finished";
  run?: { server: Result["server"]; runtime: Result["runtime"]; plan: Plan; startedAt: string };
  level?: { level: Level; index: number; total: number };
  /** the suites of the level running, in the order they ran */
  suites: LiveSuite[];
  /** the levels finished, lowest load first */
  levels: LevelResult[];
};

/** The ids of the page's parts that the event stream replaces, and their HTML now. */
export type DashboardParts = Record<"live-status" | "live-suites" | "live-levels", string>;

/** Every part, or (`levels` false) all but the finished levels', which change only when a level ends. */
export function dashboardParts(run: LiveRun, options: { now?: number; levels?: boolean } = {}): Partial<DashboardParts> {
  const { now = Date.now(), levels = true } = options;
  return {
    "live-status": statusPart(run, now),
    "live-suites": suitesPart(run),
    ...(levels ? { "live-levels": levelsPart(run.levels) } : {}),
  };
}

/** A finished suite's block does not change until its level ends (and a new level brings new suite objects): drawn once. */
const drawn = new WeakMap<LiveSuite, string>();

function statusPart(run: LiveRun, now: number): string {
  const r = run.run;
  const elapsed = r ? ` · ${formatDuration(now - Date.parse(r.startedAt))}` : "";
  const level = run.level ? ` · level ${run.level.level.name} (${run.level.index + 1}/${run.level.total})` : "";
  const server = r ? ` · ${r.runtime.name} ${r.runtime.version} against ${r.server.url}` : "";
  return `<span class="state state-${esc(run.state.split(" ")[0])}">${esc(run.state)}</span>${esc(`${level}${elapsed}${server}`)}`;
}

/** `41,200/100,000 round trips answered (41 %) · 12,300/s · p99 4.10 ms · 0 errors · ETA 5.2 s` */
function progressLine(p: SuiteProgress): string {
  const share = p.planned > 0 ? ` (${formatNumber((100 * p.done) / p.planned, 0)} %)` : "";
  return [
    `${formatNumber(p.done)}/${formatNumber(p.planned)} ${p.phase}${share}`,
    `${formatNumber(p.perSecond, 0)}/s`,
    ...(p.latencyMs ? [`p99 ${formatNumber(p.latencyMs.p99)} ms`] : []),
    `${formatNumber(p.errors)} errors`,
    `${formatNumber(p.sockets)} sockets`,
    ...(p.bytes !== undefined ? [`${formatBytes(p.bytes)} through the proxy`] : []),
    ...(p.final ? ["wire layer done, timing the engine layer"] : p.etaMs !== undefined ? [`ETA ${formatDuration(p.etaMs)}`] : []),
  ].join(" · ");
}

function suitesPart(run: LiveRun): string {
  if (!run.level) return `<p class="empty">${esc(run.state === "finished" ? "The run is over." : "No level has started yet.")}</p>`;
  const level = run.level.level.name;
  const blocks = run.suites.map((s) => {
    const done = s.result && drawn.get(s);
    if (done) return done;
    const head = s.result
      ? `${colorMarks(esc(mark(s.result.verdict, PLAIN)))} ${esc(s.result.status)} in ${esc(formatDuration(s.result.durationMs))}${
        s.last ? ` · ${esc(progressLine({ ...s.last, final: false, etaMs: undefined }))}` : ""
      }`
      : s.last
      ? esc(progressLine(s.last))
      : "starting";
    // the finished levels' figures of this suite, and this level's once the suite is done
    const levels = [...run.levels, ...(s.result ? [{ ...finishedSoFar(run), suites: [s.result] }] : [])]
      .map((l) => ({ ...l, suites: l.suites.filter((x) => x.suite === s.suite) }));
    const figures = htmlTable(summaryTable(levels, PLAIN)) || `<p class="empty">No level finished yet.</p>`;
    const block =
      `<div class="live-suite" data-suite="${esc(s.suite)}"><h3>${esc(s.suite)} <span class="unit">at ${esc(level)} · ${head}</span></h3>` +
      `<div class="live-row"><div class="charts">${
        liveCharts(s.suite, level, s.samples)
      }</div><aside class="beside"><h4>By level</h4>${figures}</aside></div></div>`;
    if (s.result) drawn.set(s, block);
    return block;
  });
  return blocks.join("") || `<p class="empty">Level ${esc(level)} started: its first suite is opening its connections.</p>`;
}

/** The level running, as a level result of the suites it finished (for the tables, which take level results). */
function finishedSoFar(run: LiveRun): LevelResult {
  const suites = run.suites.flatMap((s) => (s.result ? [s.result] : []));
  return { level: run.level!.level, startedAt: run.run?.startedAt ?? "", durationMs: 0, suites, verdict: "none" };
}

function levelsPart(levels: readonly LevelResult[]): string {
  if (levels.length === 0) return `<p class="empty">No level has finished yet: their figures and charts appear here as they do.</p>`;
  const verdicts = levels.map((l) => `${l.level.name} ${mark(l.verdict, PLAIN)}`).join(" · ");
  const summary = htmlTable(summaryTable(levels, PLAIN));
  return `<p class="levels">${colorMarks(esc(verdicts))}</p>${summary}${throughputSection({ levels: [...levels] })}${
    latencySection({ levels: [...levels] })
  }`;
}

const LIVE_CSS = `
#live-status { font-size: 14px; color: var(--muted); }
.state { font-weight: 600; color: var(--fg); }
.live-suite { border-top: 1px solid var(--line); padding-top: 6px; margin-top: 10px; }
.live-row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(260px, 340px); gap: 16px; align-items: start; }
.live-row .charts { grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
aside.beside h4 { margin: 6px 0 2px; font-size: 13px; }
aside.beside table { font-size: 12px; }
#live-notice:empty { display: none; }
#live-notice { color: #cf222e; }
`;

/**
 * Keeps the page live: each `view` event replaces the parts named in it; the
 * `report` event is the final page, written over this one. A stream that
 * breaks before it is closed rather than retried, and the page says so.
 */
const LIVE_SCRIPT = `
const source = new EventSource("events");
source.addEventListener("view", (e) => {
  for (const [id, html] of Object.entries(JSON.parse(e.data))) {
    const el = document.getElementById(id);
    if (el) el.innerHTML = html;
  }
});
source.addEventListener("notice", (e) => {
  document.getElementById("live-notice").textContent = e.data;
});
source.addEventListener("report", (e) => {
  source.close();
  document.open();
  document.write(e.data);
  document.close();
});
source.addEventListener("error", () => {
  source.close();
  document.getElementById("live-notice").textContent =
    "The connection to wsstress ended before the final report: the run stopped, or its process is gone.";
});
`;

/** The whole page as it stands now; the event stream keeps it current. */
export function dashboardPage(run: LiveRun, now = Date.now()): string {
  const parts = dashboardParts(run, { now }) as DashboardParts;
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>wsstress live</title><link rel="icon" href="data:,"><style>${CSS}${LIVE_CSS}</style></head>`,
    `<body><header><h1>wsstress live</h1><p id="live-status">${parts["live-status"]}</p><p id="live-notice"></p></header>`,
    `<section><h2>Now</h2><div id="live-suites">${parts["live-suites"]}</div></section>`,
    `<section><h2>Finished levels</h2><div id="live-levels">${parts["live-levels"]}</div></section>`,
    `<script>${LIVE_SCRIPT}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
