/**
 * What watching a run costs the process that loads, per progress tick (every
 * 500 ms), measured on the code itself rather than through a noisy load
 * test: reading a suite's counters and merging them into an event, and
 * drawing the dashboard's parts at their largest: the last suite of the
 * last level running with 240 samples, five finished beside it, seven
 * finished levels below. Printed by `npm run bench`.
 */
import { Histogram } from "../src/model/histogram.ts";
import { LEVELS } from "../src/model/levels.ts";
import type { ProgressEvent } from "../src/model/progress-events.ts";
import { SUITE_NAMES } from "../src/model/result.ts";
import type { SuiteProgress } from "../src/model/suite-progress.ts";
import { dashboardParts } from "../src/report/dashboard-page.ts";
import { DRAW_INTERVAL_MS } from "../src/run/live-dashboard.ts";
import { LiveView } from "../src/run/live-view.ts";
import { ProgressMerge } from "../src/run/progress-merge.ts";
import { PROGRESS_INTERVAL_MS } from "../src/run/progress-timer.ts";
import { SuiteRecorder } from "../src/suites/suite-recorder.ts";
import { sampleResult } from "./_results.ts";

/** Mean ms of `fn` over enough calls to take about `budgetMs`. */
function timed(fn: () => void, budgetMs = 1_000): number {
  fn();
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) fn(), calls++;
  return (performance.now() - t0) / calls;
}

function progress(i: number): SuiteProgress {
  return {
    phase: "round trips answered",
    done: i * 1_000,
    planned: 1_000_000,
    perSecond: 20_000 + (i % 7) * 1_000,
    etaMs: 10_000,
    elapsedMs: i * PROGRESS_INTERVAL_MS,
    errors: i % 3,
    sockets: 10_000,
    latencyMs: { p50: 1 + (i % 5), p95: 4 + (i % 9), p99: 9 + (i % 11), max: 40, samples: i * 1_000 },
    generator: { cpuPct: 60 + (i % 30), lagMs: i % 20, processes: 1 },
    final: false,
  };
}

/** The dashboard as full as it gets: seven finished levels, the eighth running its last suite, each suite with 240 samples. */
function fullView(): LiveView {
  const view = new LiveView();
  const finished = sampleResult().levels;
  const levels = LEVELS.slice(0, 7).map((level, i) => ({ ...finished[i % finished.length], level }));
  const events: ProgressEvent[] = levels.map((result) => ({ type: "level-end", result }));
  events.push({ type: "level-start", level: LEVELS[7], index: 7, total: 8 });
  const ended = finished[0].suites[0];
  for (const suite of SUITE_NAMES) {
    events.push({ type: "suite-start", level: LEVELS[7], suite });
    for (let i = 1; i <= 240; i++) events.push({ type: "suite-progress", level: LEVELS[7], suite, progress: progress(i) });
    if (suite !== SUITE_NAMES.at(-1)) events.push({ type: "suite-end", level: LEVELS[7], result: { ...ended, suite } });
  }
  for (const e of events) view.apply(e);
  return view;
}

export function liveCosts(): void {
  const record = new SuiteRecorder("round trips answered");
  const latency = new Histogram();
  for (let i = 0; i < 100_000; i++) latency.record(200_000 + ((i * 7919) % 50_000_000));
  let done = 0;
  record.live.phase("connections opened", 10_000)(() => 10_000);
  record.live.answered(1_000_000)(() => (done += 1_000), latency);
  for (let i = 0; i < 3; i++) record.live.sockets(() => 5_000);
  const merge = new ProgressMerge("round trips answered", 1);
  const tick = timed(() => {
    merge.update(0, { ...record.live.read(), cpuPct: 50, lagMs: 1 });
    merge.event(false);
  });
  const view = fullView();
  const draw = timed(() => void dashboardParts(view.run, { levels: false }), 2_000);
  const levels = timed(() => void dashboardParts(view.run), 2_000) - draw;
  const share = (ms: number, everyMs: number) => `${((ms / everyMs) * 100).toFixed(2)} % of a core`;
  console.log(
    `progress, per ${PROGRESS_INTERVAL_MS} ms tick: read a suite's counters (three pools, a 100,000-sample histogram) and merge: ${
      tick.toFixed(3)
    } ms (${share(tick, PROGRESS_INTERVAL_MS)})`,
  );
  console.log(
    `dashboard, per draw while watched (at most every ${DRAW_INTERVAL_MS} ms): the running suite's 240 samples beside five ` +
      `finished suites: ${draw.toFixed(2)} ms (${share(draw, DRAW_INTERVAL_MS)})`,
  );
  console.log(`dashboard, once per level: the finished levels' tables and charts (7 levels): ${levels.toFixed(2)} ms`);
}
