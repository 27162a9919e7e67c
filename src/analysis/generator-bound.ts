/**
 * @module
 * When the load generator, not the server, limited what a phase measured.
 * A suite runs two phases where it splits capacity from latency at load, and
 * each is checked against what it measured:
 *
 * - capacity (closed loop): the busiest load process used at least
 *   `CPU_BOUND_PCT` of a core, so the throughput may be its limit;
 * - latency at load (paced): the generator ran late, behind its send
 *   schedule or on its timers, by at least `VISIBLE_SHARE_PCT` of the latency
 *   p99 it measured and at least `LAG_FLOOR_MS` (a timer's own resolution):
 *   its own delay is then a visible share of that latency.
 *
 * A figure a bound phase measured is a bound on the server in the server's
 * favour (it did at least that well), so it keeps a ✅ and is otherwise shown
 * unjudged, with the reason.
 */
import type { BoundBy, PhaseLoad } from "../model/result.ts";

export const CPU_BOUND_PCT = 90;
export const VISIBLE_SHARE_PCT = 10;
export const LAG_FLOOR_MS = 1;

/** What a suite's latency phase measured: the p99 it judges (key and ms), and how far behind its schedule the sender ran. */
export type LatencyPhase = { of: string; p99Ms: number; sendLagP99Ms?: number };

/** The reasons the generator may have bound each phase; empty when it did not. */
export function generatorBound(phases: Partial<Record<"capacity" | "latency", PhaseLoad>>, latency?: LatencyPhase): BoundBy[] {
  const found: BoundBy[] = [];
  const capacity = phases.capacity;
  if (capacity && capacity.cpuPct >= CPU_BOUND_PCT) found.push({ phase: "capacity", cause: "cpu", value: capacity.cpuPct });
  if (!latency || !(latency.p99Ms > 0)) return found;
  const lags: Array<["send_lag" | "loop_lag", number | undefined]> = [["send_lag", latency.sendLagP99Ms], [
    "loop_lag",
    phases.latency?.lagP99Ms,
  ]];
  for (const [cause, lag] of lags) {
    if (lag === undefined || lag < LAG_FLOOR_MS) continue;
    const sharePct = (lag / latency.p99Ms) * 100;
    if (sharePct >= VISIBLE_SHARE_PCT) {
      found.push({ phase: "latency", cause, value: lag, sharePct: Math.min(sharePct, 100), of: latency.of });
    }
  }
  return found;
}
