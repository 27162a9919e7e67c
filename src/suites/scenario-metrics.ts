/**
 * @module
 * The metrics of a user's scenario, by `layer.key` as a suite declares them:
 * the ones every scenario emits (iterations, round trips, pushes awaited,
 * checks, the virtual users' arrivals) and the ones it declares itself
 * (`metrics` in `defineScenario`, recorded through `vu.metric(name)`). The
 * plan keeps each scenario's declarations, so a result read back without
 * the scenario's module is judged the same way.
 */
import type { ScenarioRef, UserMetric } from "../model/scenario-plan.ts";
import {
  headlineRate,
  latencies,
  lower,
  metric,
  type MetricDeclarations,
  type MetricSpec,
  mustBeZero,
  plain,
  whole,
} from "./metric-spec.ts";
import { ANSWERED } from "./suite-recorder.ts";

/** What every scenario emits, besides its share of the planned iterations (`wire.answered_pct`). */
export const SCENARIO_METRICS = {
  "wire.iterations_per_s": headlineRate("iterations", "iterations/s"),
  "wire.iterations": plain("iterations completed", "iterations"),
  ...latencies("iteration", "iteration (with think time)", undefined),
  "wire.requests_per_s": metric("round trips", "round trips/s", "higher"),
  "wire.requests": plain("requests sent", "requests"),
  ...latencies("request", "request RTT", lower(10, 50)),
  "wire.sends": plain("frames sent with no reply awaited", "frames"),
  "wire.expects": plain("pushes awaited", "pushes"),
  ...latencies("expect", "push wait", undefined),
  "wire.expect_misses": mustBeZero("pushes awaited that never came"),
  "wire.deliveries": plain("deliveries received", "deliveries"),
  ...latencies("delivery", "publish-to-receipt", undefined),
  "wire.pushes": plain("server frames no request took (pushes)", "frames"),
  "wire.pushes_unread": plain("pushes no virtual user read", "frames"),
  "wire.pushes_overflowed": plain("pushes dropped from a full inbox", "frames"),
  "wire.checks": plain("checks", "checks"),
  "wire.checks_failed": mustBeZero("checks failed"),
  "wire.checks_failed_pct": metric("checks failed", "%", "lower"),
  "wire.vus": plain("virtual users started", "VUs"),
  "wire.vus_max": plain("virtual users live at once, max", "VUs"),
  ...latencies("connect", "connect from intended start", undefined),
  "wire.start_lag_ms": metric("arrivals behind schedule, max", "ms", "lower"),
  "wire.arrivals_dropped": mustBeZero("arrivals no virtual user could take"),
  "wire.errors": mustBeZero("errors"),
} satisfies MetricDeclarations;

/** The histograms every scenario may keep: their keys cannot name a user's metric, nor start one. */
export const SCENARIO_HISTOGRAMS = ["iteration", "request", "expect", "delivery", "connect"] as const;

/** What the share of the planned work counts for a scenario. */
export const SCENARIO_ANSWERED = "iterations completed";

/** The percentile keys of a user's histogram: `<name>_p50` … `<name>_max`, in its own unit. */
export const userPercentiles = (name: string): string[] => ["p50", "p95", "p99", "max"].map((q) => `${name}_${q}`);

/** The metrics a declared user metric emits, by `wire.key`. */
function userSpecs(name: string, m: UserMetric): Array<[string, MetricSpec]> {
  const spec = (label: string, threshold = m.threshold): MetricSpec =>
    Object.freeze({ label, unit: m.unit, better: m.better, ...(threshold ? { threshold } : {}) });
  if (m.kind !== "histogram") return [[`wire.${name}`, spec(m.label)]];
  return userPercentiles(name).map((key) => {
    const q = key.slice(name.length + 1);
    return [`wire.${key}`, spec(`${m.label} ${q}`, q === "p99" ? m.threshold : undefined)];
  });
}

/** Every key a scenario's metrics take, fixed and its own, by `wire.key`. */
export function scenarioDeclarations(ref: Pick<ScenarioRef, "metrics">): Readonly<Record<string, MetricSpec>> {
  return {
    [`wire.${ANSWERED}`]: whole(SCENARIO_ANSWERED),
    ...SCENARIO_METRICS,
    ...Object.fromEntries(Object.entries(ref.metrics).flatMap(([name, m]) => userSpecs(name, m))),
  };
}

/** Why `name` cannot name a user metric (it would take a key every scenario uses), or undefined. */
export function reservedMetricName(name: string, kind: UserMetric["kind"]): string | undefined {
  const keys = kind === "histogram" ? userPercentiles(name) : [name];
  const taken = keys.find((k) => Object.hasOwn(SCENARIO_METRICS, `wire.${k}`) || k === ANSWERED);
  if (taken) return `"${name}" would emit ${taken}, which every scenario emits`;
  const base = SCENARIO_HISTOGRAMS.find((h) => name === h || name.startsWith(`${h}_`));
  return base ? `"${name}" starts with ${base}, a histogram every scenario keeps` : undefined;
}
