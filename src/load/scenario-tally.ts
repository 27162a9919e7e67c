/**
 * What the virtual users of one share of a scenario did, counted as they do
 * it: every verb's count and latency histogram, the checks by name, the
 * user's own metrics, the iterations and the virtual users. Counts and
 * histograms only, so the suite turns them into facts that merge exactly
 * across worker processes and shards.
 */
import { Histogram } from "../model/histogram.ts";
import type { UserMetric } from "../model/scenario-plan.ts";

/** A user's metric as it is being recorded: a sum, a histogram, or trues over adds. */
export type UserTally =
  | { kind: "counter"; sum: number }
  | { kind: "histogram"; histogram: Histogram }
  | { kind: "rate"; trues: number; adds: number };

export class ScenarioTally {
  readonly iteration = new Histogram();
  readonly request = new Histogram();
  readonly expect = new Histogram();
  readonly delivery = new Histogram();
  /** from an arrival's intended start to its connection being open (arrival and ramping models) */
  readonly connect = new Histogram();
  requests = 0;
  sends = 0;
  expects = 0;
  expectMisses = 0;
  pushes = 0;
  pushesUnread = 0;
  pushesOverflowed = 0;
  iterationsStarted = 0;
  iterationsCompleted = 0;
  vus = 0;
  vusLive = 0;
  vusMax = 0;
  arrivalsDropped = 0;
  startLagMs = 0;
  /** passes and failures by check name */
  readonly checks = new Map<string, { passed: number; failed: number }>();
  readonly user = new Map<string, UserTally>();
  /** the span the virtual users ran in: first start and last end, epoch ms */
  firstStartMs = Number.POSITIVE_INFINITY;
  lastEndMs = Number.NEGATIVE_INFINITY;

  constructor(metrics: Readonly<Record<string, UserMetric>>) {
    for (const [name, m] of Object.entries(metrics)) {
      this.user.set(
        name,
        m.kind === "counter"
          ? { kind: "counter", sum: 0 }
          : m.kind === "histogram"
          ? { kind: "histogram", histogram: new Histogram() }
          : { kind: "rate", trues: 0, adds: 0 },
      );
    }
  }

  check(name: string, passed: boolean): void {
    let c = this.checks.get(name);
    if (!c) this.checks.set(name, c = { passed: 0, failed: 0 });
    if (passed) c.passed++;
    else c.failed++;
  }

  vuStarted(atMs: number): void {
    this.vus++;
    if (++this.vusLive > this.vusMax) this.vusMax = this.vusLive;
    if (atMs < this.firstStartMs) this.firstStartMs = atMs;
  }

  vuEnded(atMs: number): void {
    this.vusLive--;
    if (atMs > this.lastEndMs) this.lastEndMs = atMs;
  }

  /** checks in all, and failed */
  checkTotals(): { total: number; failed: number } {
    let total = 0, failed = 0;
    for (const c of this.checks.values()) {
      total += c.passed + c.failed;
      failed += c.failed;
    }
    return { total, failed };
  }
}
