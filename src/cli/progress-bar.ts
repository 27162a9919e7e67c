/**
 * A progress bar with an ETA for the level running, on stderr, only when
 * stderr is a terminal. It appears once a level has run for `delayMs` (2 s by
 * default), so short levels print nothing extra; it is redrawn on a timer and
 * erased before any other line is written, so the log above it stays clean.
 * Progress is counted in finished suites of the level; the ETA is the mean
 * suite time so far times the suites left.
 */
import type { ProgressEvent } from "../model/progress-events.ts";
import { suiteIdsOf } from "../model/plan.ts";
import { formatDuration } from "../report/format.ts";

export type BarState = { level: string; done: number; total: number; current?: string; elapsedMs: number };

/** `▕██████░░░░░░▏ 2/6 suites · medium · broadcast · 14.2 s · ETA 28.4 s`, cut to `columns`. */
export function barLine(s: BarState, columns = 100, width = 24): string {
  const fraction = s.total > 0 ? Math.min(1, s.done / s.total) : 0;
  const filled = Math.round(fraction * width);
  const eta = s.done > 0 && s.done < s.total ? `ETA ${formatDuration((s.elapsedMs * (s.total - s.done)) / s.done)}` : "ETA …";
  const parts = [`${s.done}/${s.total} suites`, s.level, s.current, formatDuration(s.elapsedMs), eta].filter(Boolean);
  const line = `▕${"█".repeat(filled)}${"░".repeat(width - filled)}▏ ${parts.join(" · ")}`;
  return [...line].slice(0, Math.max(10, columns - 1)).join("");
}

type Running = { level: string; done: number; total: number; current?: string; startedAt: number };

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
        this.#suites = suiteIdsOf(event.plan).length;
        break;
      case "level-start":
        this.#running = { level: event.level.name, done: 0, total: this.#suites, startedAt: performance.now() };
        this.#timer ??= setInterval(() => this.draw(), 250);
        break;
      case "suite-start":
        if (this.#running) this.#running.current = event.suite;
        break;
      case "suite-end":
        if (this.#running) Object.assign(this.#running, { done: this.#running.done + 1, current: undefined });
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
