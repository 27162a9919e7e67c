/**
 * The metric catalogue as a markdown table, for docs/metrics.md, and the
 * metrics every scenario emits, for docs/scenarios.md: generated from
 * `suites/metric-catalogue.ts` and `suites/scenario-metrics.ts` so the
 * documented thresholds are the ones applied (a test checks the docs hold
 * exactly these tables).
 */
import { METRICS } from "../suites/metric-catalogue.ts";
import type { MetricSpec } from "../suites/metric-spec.ts";
import { scenarioDeclarations } from "../suites/scenario-metrics.ts";
import { formatThreshold } from "./format.ts";
import { markdownTable } from "./_table.ts";

export function metricsTable(): string {
  return table(Object.entries(METRICS));
}

/** A scenario's metrics, `NAME.wire.key`, besides the ones it declares. */
export function scenarioMetricsTable(): string {
  return table(Object.entries(scenarioDeclarations({ metrics: {} })).map(([key, spec]) => [`NAME.${key}`, spec]));
}

function table(entries: Array<[string, MetricSpec]>): string {
  const rows = entries.map(([id, spec]) => [
    `\`${id}\``,
    spec.label,
    spec.unit || "count",
    spec.better === "none" ? "" : spec.better,
    spec.threshold ? formatThreshold(spec.threshold, spec.unit) : spec.exact !== undefined ? `= ${spec.exact} ${spec.unit}` : "",
  ]);
  return markdownTable({ header: ["id", "metric", "unit", "better", "✅ excellent / ⚠️ good"], rows });
}
