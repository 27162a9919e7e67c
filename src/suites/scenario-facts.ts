/**
 * What a share of a scenario did, as facts: counts add up, rates are all of
 * the shares' operations over the union of their spans, histograms merge
 * bucket by bucket, so a scenario run in worker processes or shards comes out
 * as if one process had run it. A verb the scenario never used records
 * nothing (its figures would be noise); one it used and the server never
 * answered shows as no samples.
 */
import type { ScenarioTally } from "../load/scenario-tally.ts";
import type { LoadModel } from "../model/scenario-plan.ts";
import type { SuiteRecorder } from "./suite-recorder.ts";

/** The key of one check's failures, counted over its runs: its notes are made from these, never metrics (a name is free text). */
export const CHECK_FACT = "check:";

export function recordScenario(record: SuiteRecorder, t: ScenarioTally, planned: number, executor: LoadModel["executor"]): void {
  record.answered(t.iterationsCompleted, planned);
  record.count("wire", "iterations", t.iterationsCompleted);
  record.count("wire", "vus", t.vus);
  record.count("wire", "vus_max", t.vusMax);
  // a span needs a virtual user that started
  const ran = t.vus > 0 && t.lastEndMs >= t.firstStartMs;
  if (ran) record.rate("wire", "iterations_per_s", t.iterationsCompleted, t.firstStartMs, t.lastEndMs);
  if (t.iterationsStarted > 0) record.latency("iteration", t.iteration);
  if (t.requests > 0) {
    record.count("wire", "requests", t.requests);
    if (ran) record.rate("wire", "requests_per_s", t.request.count, t.firstStartMs, t.lastEndMs);
    record.latency("request", t.request);
  }
  if (t.sends > 0) record.count("wire", "sends", t.sends);
  if (t.expects > 0) {
    record.count("wire", "expects", t.expects);
    record.count("wire", "expect_misses", t.expectMisses, t.expects);
    record.latency("expect", t.expect);
  }
  if (t.delivery.count > 0) {
    record.count("wire", "deliveries", t.delivery.count);
    record.latency("delivery", t.delivery);
  }
  record.count("wire", "pushes", t.pushes);
  record.count("wire", "pushes_unread", t.pushesUnread);
  record.count("wire", "pushes_overflowed", t.pushesOverflowed);
  const checks = t.checkTotals();
  if (checks.total > 0) {
    record.count("wire", "checks", checks.total);
    record.count("wire", "checks_failed", checks.failed, checks.total);
    record.ratio("wire", "checks_failed_pct", 100 * checks.failed, checks.total);
    for (const [name, c] of t.checks) record.count("wire", `${CHECK_FACT}${name}`, c.failed, c.passed + c.failed);
  }
  // virtual users that come and go connect as they come: timed from when they were due
  if (executor !== "closed") record.latency("connect", t.connect);
  if (executor === "arrival-rate") {
    record.max("wire", "start_lag_ms", t.startLagMs);
    record.count("wire", "arrivals_dropped", t.arrivalsDropped);
  }
  for (const [name, m] of t.user) {
    if (m.kind === "counter") record.count("wire", name, m.sum);
    else if (m.kind === "histogram") record.latency(name, m.histogram);
    else record.ratio("wire", name, 100 * m.trues, m.adds);
  }
  record.count("wire", "errors", record.errors.count());
}
