/**
 * What the live dashboard knows of a run, kept up to date from the run's
 * progress events: the level running and each of its suites' samples, the
 * levels finished, and at the end the result. Bounded whatever the run's
 * length: a suite keeps at most a few hundred samples (older ones thinned),
 * and only the level running keeps samples at all.
 */
import type { ProgressEvent } from "../model/progress-events.ts";
import type { Result } from "../model/result.ts";
import type { LiveRun } from "../report/dashboard-page.ts";
import { addSample, sampleOf } from "../report/live-suite-charts.ts";

export class LiveView {
  readonly run: LiveRun = { state: "starting", suites: [], levels: [] };
  result: Result | undefined;
  /** bumped when the finished levels change: their part of the page is redrawn only then */
  levelsVersion = 0;

  /** Takes in one event; returns whether it changed what the page shows. */
  apply(event: ProgressEvent): boolean {
    const run = this.run;
    switch (event.type) {
      case "run-start":
        run.run = { server: event.server, runtime: event.runtime, plan: event.plan, startedAt: event.startedAt };
        return true;
      case "warmup":
        run.state = "warming up";
        return true;
      case "start-wait":
        run.state = "waiting for the start time";
        return true;
      case "level-start":
        Object.assign(run, { state: "running", level: { level: event.level, index: event.index, total: event.total }, suites: [] });
        return true;
      case "suite-start":
        run.suites.push({ suite: event.suite, samples: [] });
        return true;
      case "suite-progress": {
        const suite = run.suites.find((s) => s.suite === event.suite && !s.result);
        if (!suite) return false;
        suite.last = event.progress;
        addSample(suite.samples, sampleOf(event.progress));
        return true;
      }
      case "suite-end": {
        const suite = run.suites.find((s) => s.suite === event.result.suite && !s.result);
        if (suite) suite.result = event.result;
        return true;
      }
      case "level-end":
        run.levels.push(event.result);
        this.levelsVersion++;
        return true;
      case "run-end":
        run.state = "finished";
        this.result = event.result;
        return true;
      default:
        return false;
    }
  }
}
