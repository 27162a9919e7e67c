/**
 * A progress bar on stderr, only when stderr is a terminal: one line, redrawn
 * on a timer and erased before any other line is written, so the log above it
 * stays clean. It appears once a level has run for `delayMs` (2 s by
 * default), so short levels print nothing extra.
 *
 * Inside a suite it moves with the suite's own progress events: the bar is
 * the share of the current phase done, followed by the live rate, the p99 of
 * the running histogram, the errors so far and an ETA from the suite's own
 * rate. Before a suite's first event it counts finished suites, with the mean
 * suite time so far times the suites left as the ETA.
 */
import type { ProgressEvent } from "../model/progress-events.ts";
import type { SuiteProgress } from "../model/suite-progress.ts";
import { formatBytes, formatDuration, formatNumber } from "../report/format.ts";

export type BarState = { level: string; done: number; total: number; current?: string; elapsedMs: number; progress?: SuiteProgress };

const bar = (fraction: number, width: number): string => {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `▕${"█".repeat(filled)}${"░".repeat(width - filled)}▏`;
};

/**
 * What the suite running has done, most telling first, since a narrow
 * terminal cuts the end: `message 2/6 · 41,200/100,000 round trips answered ·
 * ETA 5.2 s · 12,300/s · p99 4.1 ms · 0 errors · medium 14.2 s`.
 */
function suiteParts(s: BarState, p: SuiteProgress): string[] {
  const errors = `${formatNumber(p.errors)} error${p.errors === 1 ? "" : "s"}`;
  const lagging = p.generator.lagMs > 50 ? `generator lag ${formatNumber(p.generator.lagMs, 0)} ms` : undefined;
  return [
    `${s.current} ${s.done + 1}/${s.total}`,
    `${formatNumber(p.done)}/${formatNumber(p.planned)} ${p.phase}`,
    ...(p.final
      ? ["engine layer"]
      : [p.etaMs === undefined ? "ETA …" : `ETA ${formatDuration(p.etaMs)}`, `${formatNumber(p.perSecond, 0)}/s`]),
    ...(p.latencyMs ? [`p99 ${formatNumber(p.latencyMs.p99)} ms`] : []),
    errors,
    ...(p.bytes !== undefined ? [`${formatBytes(p.bytes)} proxied`] : []),
    ...(lagging ? [lagging] : []),
    `${s.level} ${formatDuration(s.elapsedMs)}`,
  ];
}

/** `▕██████░░░░░░▏ 2/6 suites · medium · broadcast · 14.2 s · ETA 28.4 s`, or the suite's own progress; cut to `columns`. */
export function barLine(s: BarState, columns = 100, width = 24): string {
  let line: string;
  if (s.progress && s.current) {
    const p = s.progress;
    line = `${bar(p.planned > 0 ? p.done / p.planned : 0, width)} ${suiteParts(s, p).join(" · ")}`;
  } else {
    const eta = s.done > 0 && s.done < s.total ? `ETA ${formatDuration((s.elapsedMs * (s.total - s.done)) / s.done)}` : "ETA …";
    const parts = [`${s.done}/${s.total} suites`, s.level, s.current, formatDuration(s.elapsedMs), eta].filter(Boolean);
    line = `${bar(s.total > 0 ? s.done / s.total : 0, width)} ${parts.join(" · ")}`;
  }
  return [...line].slice(0, Math.max(10, columns - 1)).join("");
}

type Running = { level: string; done: number; total: number; current?: string; startedAt: number; progress?: SuiteProgress };

export class ProgressBar {
  readonly #write: (text: string) => void;
  readonly #columns: () => number;
  readonly #delayMs: number;
  #suites = 0;
  #running?: Running;
  #timer?: ReturnType<typeof setInterval>;
  #shown = false;

  constructor(write: (text: string) => void, options: { columns?: () => number; delayMs?: number } = {}) {
    this.#write = write;
    this.#columns = options.columns ?? (() => 100);
    this.#delayMs = options.delayMs ?? 2_000;
  }

  handle(event: ProgressEvent): void {
    switch (event.type) {
      case "run-start":
        this.#suites = event.plan.suites.length;
        break;
      case "level-start":
        this.#running = { level: event.level.name, done: 0, total: this.#suites, startedAt: performance.now() };
        this.#timer ??= setInterval(() => this.draw(), 250);
        break;
      case "suite-start":
        if (this.#running) Object.assign(this.#running, { current: event.suite, progress: undefined });
        break;
      case "suite-progress":
        if (this.#running?.current === event.suite) this.#running.progress = event.progress;
        break;
      case "suite-end":
        if (this.#running) Object.assign(this.#running, { done: this.#running.done + 1, current: undefined, progress: undefined });
        break;
      case "level-end":
      case "run-end":
        this.stop();
        break;
    }
  }

  /** Draws the bar if the level has been running long enough. */
  draw(): void {
    const r = this.#running;
    if (!r) return;
    const elapsedMs = performance.now() - r.startedAt;
    if (elapsedMs < this.#delayMs) return;
    this.#write(`\r\x1b[2K${barLine({ ...r, elapsedMs }, this.#columns())}`);
    this.#shown = true;
  }

  /** Erases the bar, so a line can be printed where it was; the timer draws it again. */
  clear(): void {
    if (!this.#shown) return;
    this.#write("\r\x1b[2K");
    this.#shown = false;
  }

  /** Erases the bar and stops its timer: call it however the run ends, or the timer keeps the process alive. */
  stop(): void {
    this.clear();
    this.#running = undefined;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
