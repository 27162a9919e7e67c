/** Live progress lines for the terminal, one per level and per finished suite; a suite's own progress goes to the bar. */
import type { ProgressEvent } from "../model/progress-events.ts";
import { suiteIdsOf } from "../model/plan.ts";
import { formatDuration, formatNumber, mark, type Style } from "../report/format.ts";

export function progressLine(event: ProgressEvent, style: Style): string | undefined {
  switch (event.type) {
    case "dashboard":
      return style.bold(
        `dashboard: ${event.url}${event.remote ? " (and every other address of this machine)" : ""}: ` +
          "live while the run goes, then the final report",
      );
    case "run-start":
      return style.dim(
        `server ${event.server.runtime} at ${event.server.url} (own process); ${event.plan.levels.length} levels × ${
          suiteIdsOf(event.plan).length
        } suites`,
      );
    case "warmup":
      return style.dim(`warming up: every suite once at ${event.level.connections} connections, not measured`);
    case "warmup-end": {
      const r = event.result;
      const faults = r.suites.flatMap((s) => s.errors.map((e) => `${s.suite} ${e.class} × ${formatNumber(e.count)}`));
      const tail = faults.length > 0 ? `: ${faults.join(", ")} (judged with the run)` : "";
      return `  ${mark(r.verdict, style)} warm-up done in ${formatDuration(r.durationMs)}${tail}`;
    }
    case "start-wait":
      return style.dim(
        event.waitMs > 0
          ? `waiting ${formatDuration(event.waitMs)} for the common start at ${event.startAt}`
          : `the start time ${event.startAt} has already passed: starting at once`,
      );
    case "level-start": {
      const l = event.level;
      return style.bold(
        `▶ ${l.name} (${event.index + 1}/${event.total}): ${formatNumber(l.operations)} operations, ${
          formatNumber(l.connections)
        } connections, ${formatNumber(l.messagesPerConnection)} messages/conn, ${formatNumber(l.subscribers)} subscribers`,
      );
    }
    case "suite-end": {
      const r = event.result;
      const errors = r.errors.reduce((n, e) => n + e.count, 0);
      const tail = [r.status !== "ok" ? r.status : "", errors > 0 ? `${formatNumber(errors)} errors` : ""].filter(Boolean).join(", ");
      return `  ${mark(r.verdict, style)} ${r.suite.padEnd(13)} ${formatDuration(r.durationMs).padStart(8)}${tail ? `  ${tail}` : ""}`;
    }
    case "level-end":
      return `  ${mark(event.result.verdict, style)} ${event.result.level.name} done in ${formatDuration(event.result.durationMs)}`;
    default:
      return undefined;
  }
}
