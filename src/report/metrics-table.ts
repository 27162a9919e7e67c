/**
 * The metric catalogue as a markdown table, for docs/metrics.md: generated from
 * `suites/metric-catalogue.ts` so the documented thresholds are the ones applied
 * (a test checks the doc holds exactly this table).
 */
import { METRICS } from "../suites/metric-catalogue.ts";
import { formatThreshold } from "./format.ts";
import { markdownTable } from "./_table.ts";

export function metricsTable(): string {
  const rows = Object.entries(METRICS).map(([id, spec]) => [
    `\`${id}\``,
    spec.label,
    spec.unit || "count",
    spec.better === "none" ? "" : spec.better,
    spec.threshold ? formatThreshold(spec.threshold, spec.unit) : spec.exact !== undefined ? `= ${spec.exact} ${spec.unit}` : "",
  ]);
  return markdownTable({ header: ["id", "metric", "unit", "better", "✅ excellent / ⚠️ good"], rows });
}
