/**
 * Turns a suite's (merged) facts into the judged metrics and histograms of
 * its result. A figure over nothing is never judged: a count over no samples
 * and a rate over no span are left out with a note. Less than all of the
 * planned work answered makes every latency percentile ❌ (an unanswered
 * request has no finite latency); none of it means the suite could not
 * measure what it exists for.
 */
import { Histogram } from "../model/histogram.ts";
import { makeMetric, metricId, type Scenarios, specOf } from "../suites/metric-catalogue.ts";
import { CHECK_FACT } from "../suites/scenario-facts.ts";
import { formatNumber, formatPercent } from "../report/format.ts";
import type { HistogramJson, Metric, Plan } from "../model/result.ts";
import { type Fact, type Facts, factValue, spreadFigures } from "../model/facts.ts";
import { ANSWERED } from "../suites/suite-recorder.ts";

export type SuiteFigures = {
  metrics: Metric[];
  histograms: Record<string, HistogramJson>;
  notes: string[];
  /** why the suite measured nothing of what it exists for (none of the planned work answered) */
  unmeasured?: string;
};

type Ratio = Extract<Fact, { kind: "ratio" }>;

/** the notes written here: recomputed whenever figures are (a merge drops the shards' own) */
export const FIGURE_NOTE = new RegExp(
  [
    ": not measurable \\(nothing completed in the measured span\\)",
    " latency: no samples",
    ": no samples \\(counted over nothing\\)",
    " so each is ❌",
  ].map((end) => `(${end})`).join("|") + '$|^checks: "',
);

/** What judges a suite's figures: the plan's threshold overrides, and the scenarios it runs (their metrics are theirs). */
export type FigurePlan = Pick<Plan, "thresholds"> & Scenarios;

/** One line naming every check of a scenario and how it went: check names are free text, so they are notes, not metric keys. */
function checksNote(checks: Array<[string, Extract<Fact, { kind: "count" }>]>): string | undefined {
  if (checks.length === 0) return undefined;
  const each = checks.map(([name, f]) => {
    const runs = f.of ?? 0;
    return `"${name}" ${formatNumber(runs - f.value)}/${formatNumber(runs)} passed${
      f.value > 0 ? ` (${formatNumber(f.value)} failed)` : ""
    }`;
  });
  return `checks: ${each.join(", ")}`;
}

export function figuresOf(suite: string, facts: Facts, plan: FigurePlan): SuiteFigures {
  const { thresholds } = plan;
  const metrics: Metric[] = [];
  const histograms: Record<string, HistogramJson> = {};
  const notes: string[] = [];
  const answered = facts.facts.find((f): f is Ratio => f.kind === "ratio" && f.layer === "wire" && f.key === ANSWERED);
  const partial = answered !== undefined && answered.denominator > 0 && answered.numerator < 100 * answered.denominator;
  const push = (layer: Metric["layer"], key: string, value: number): Metric | undefined => {
    if (!Number.isFinite(value)) return void notes.push(`${layer} ${key}: not measurable (nothing completed in the measured span)`);
    const metric = makeMetric(metricId(suite, layer, key), value, thresholds, plan);
    metrics.push(metric);
    return metric;
  };
  const checks: Array<[string, Extract<Fact, { kind: "count" }>]> = [];
  for (const fact of facts.facts) {
    if (fact.kind === "count" && fact.key.startsWith(CHECK_FACT)) {
      checks.push([fact.key.slice(CHECK_FACT.length), fact]);
      continue;
    }
    if (fact.kind === "spread") {
      const { min, max, cvPct } = spreadFigures(fact);
      push(fact.layer, `${fact.key}_min`, min);
      push(fact.layer, `${fact.key}_max`, max);
      push(fact.layer, `${fact.key}_cv_pct`, cvPct);
      continue;
    }
    if (fact.kind === "count" && fact.of === 0) {
      notes.push(`${fact.layer} ${fact.key}: no samples (counted over nothing)`);
      continue;
    }
    if (fact.kind !== "latency") {
      push(fact.layer, fact.key, factValue(fact));
      continue;
    }
    const json = facts.latencies[fact.key];
    const histogram = json && Histogram.fromJSON(json);
    if (!histogram || histogram.count === 0) {
      notes.push(`${fact.key} latency: no samples`);
      continue;
    }
    histograms[`wire.${fact.key}`] = json;
    // a latency's percentiles are in ms; a scenario's own histogram's in its unit, kept × 1e6 like ns
    const unit = specOf(metricId(suite, "wire", `${fact.key}_p50_ms`), plan) ? "_ms" : "";
    const percentiles = [
      ...([50, 95, 99] as const).map((q) => push("wire", `${fact.key}_p${q}${unit}`, histogram.percentile(q) / 1e6)),
      push("wire", `${fact.key}_max${unit}`, histogram.max / 1e6),
    ];
    if (!partial) continue;
    for (const m of percentiles) if (m) m.verdict = "fail";
    const done = `${formatNumber(answered.numerator / 100)} of ${formatNumber(answered.denominator)} planned`;
    const share = formatPercent(answered.numerator / answered.denominator);
    notes.push(
      `${fact.key} percentiles stand on ${done} (${share}): the rest never came back, and what never comes has no finite latency, so each is ❌`,
    );
  }
  releaseChecksCount(suite, metrics, thresholds);
  const checked = checksNote(checks);
  if (checked) notes.push(checked);
  return { metrics, histograms, notes, ...unmeasuredOf(suite, answered, plan) };
}

/** A threshold on a scenario's rate of failed checks judges its checks in place of "none may fail". */
function releaseChecksCount(suite: string, metrics: Metric[], thresholds: FigurePlan["thresholds"]): void {
  if (!Object.hasOwn(thresholds, metricId(suite, "wire", "checks_failed_pct"))) return;
  const at = metrics.findIndex((m) => m.layer === "wire" && m.key === "checks_failed");
  if (at < 0) return;
  const { threshold: _, ...count } = metrics[at];
  metrics[at] = { ...count, verdict: "none" };
}

function unmeasuredOf(suite: string, answered: Ratio | undefined, plan: Scenarios): { unmeasured?: string } {
  if (!answered || answered.denominator === 0 || answered.numerator > 0) return {};
  const what = specOf(metricId(suite, "wire", ANSWERED), plan)?.label ?? "planned operations done";
  return { unmeasured: `could not measure: 0 of ${formatNumber(answered.denominator)} ${what}` };
}
