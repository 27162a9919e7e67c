/**
 * @module
 * Prometheus alerting rules from the thresholds in force, so the figures a
 * run exports (`--prometheus`, `prometheus.ts`) alert in production as they
 * are judged here: one rule per judged metric whose expression is the ❌
 * bound over the exported series (severity critical), and one for the ⚠️ band
 * where it has one (severity warning). Labels and annotations name the
 * suite, the layer and the unit; the level comes from the series.
 *
 * @example
 * ```ts
 * import { alertRules, judgedByPlan, renderAlertRules } from "./alert-rules.ts";
 * renderAlertRules(alertRules(judgedByPlan(plan.suites, plan.thresholds)), "the plan's thresholds");
 * // - alert: WsstressMessageWireRttP99MsFail
 * //   expr: wsstress_message_latency_seconds{layer="wire",op="rtt",quantile="0.99"} >= 0.05
 * ```
 */
import type { Layer, Result, SuiteName, Threshold } from "../model/result.ts";
import { type MetricId, METRICS, specOf, thresholdFor } from "../suites/metric-catalogue.ts";
import { VERSION } from "../model/version.ts";
import { exportedSeries } from "./prometheus.ts";
import { formatNumber } from "./format.ts";

/** A metric as it is judged: by a threshold, or (a share that must be whole) by equality with `exact`. */
export type Judged = { suite: string; layer: Layer; key: string; label: string; unit: string; threshold?: Threshold; exact?: number };

export type AlertRule = {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
};

/** The judged metrics of these suites, with the thresholds a run of them uses: the overrides over the defaults. */
export function judgedByPlan(suites: readonly SuiteName[], overrides: Readonly<Record<string, Threshold>> = {}): Judged[] {
  return (Object.keys(METRICS) as MetricId[]).flatMap((id) => {
    const [suite, layer, key] = id.split(".") as [SuiteName, Layer, string];
    const spec = METRICS[id];
    const threshold = thresholdFor(id, overrides);
    if (!suites.includes(suite) || (!threshold && spec.exact === undefined)) return [];
    return [{ suite, layer, key, label: spec.label, unit: spec.unit, ...(threshold ? { threshold } : { exact: spec.exact }) }];
  });
}

/** The metrics a result judged, each with the threshold it was judged by (the first level's, where levels differ none do). */
export function judgedByResult(result: Result): Judged[] {
  const seen = new Map<string, Judged>();
  for (const level of result.levels) {
    for (const s of level.suites) {
      for (const m of s.metrics) {
        const id = `${s.suite}.${m.layer}.${m.key}`;
        const exact = specOf(id)?.exact;
        if (seen.has(id) || (!m.threshold && exact === undefined)) continue;
        seen.set(id, {
          suite: s.suite,
          layer: m.layer,
          key: m.key,
          label: m.label,
          unit: m.unit,
          ...(m.threshold ? { threshold: m.threshold } : { exact }),
        });
      }
    }
  }
  // the catalogue's order, whatever order the levels found them in; ids it does not know go last
  const order = Object.keys(METRICS);
  const rank = (id: string): number => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...seen.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, j]) => j);
}

const pascal = (text: string): string => text.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
/** shortest exact decimal: 0.05, 15000 */
const num = (n: number): string => String(n);

/** The ❌ rule of a judged metric, and the ⚠️ one where the metric has a band between ✅ and ❌. */
export function alertRules(judged: readonly Judged[]): AlertRule[] {
  return judged.flatMap((j) => {
    const series = exportedSeries(j.suite, j.layer, j.key);
    const selector = `${series.name}{${Object.entries(series.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;
    const bound = (n: number): string => num(Number((n * series.scale).toPrecision(15)));
    const shown = (n: number): string => `${formatNumber(n)}${j.unit ? ` ${j.unit}` : ""}`;
    const name = `Wsstress${pascal(j.suite)}${pascal(j.layer)}${pascal(j.key)}`;
    const labels = { suite: j.suite, layer: j.layer, metric: j.key, unit: series.unit || "count" };
    const value = series.unit === "s"
      ? "{{ $value | humanizeDuration }}"
      : `{{ $value | humanize }}${series.unit ? ` ${series.unit}` : ""}`;
    const rule = (verdict: "fail" | "warn", expr: string, rule: string): AlertRule => ({
      alert: `${name}${verdict === "fail" ? "Fail" : "Warn"}`,
      expr,
      labels: { severity: verdict === "fail" ? "critical" : "warning", verdict, ...labels },
      annotations: {
        summary: `${j.suite} ${j.layer} ${j.label} ${verdict === "fail" ? "❌" : "⚠️"} at level {{ $labels.level }}: ${value}`,
        description: `wsstress judges ${j.suite}.${j.layer}.${j.key} (${j.label}) ${verdict === "fail" ? "❌" : "⚠️"} ${rule}.`,
      },
    });
    const t = j.threshold;
    if (!t) return [rule("fail", `${selector} != ${bound(j.exact!)}`, `unless it is exactly ${shown(j.exact!)}`)];
    const higher = t.better === "higher";
    const fail = rule("fail", `${selector} ${higher ? "<=" : ">="} ${bound(t.good)}`, `at ${higher ? "≤" : "≥"} ${shown(t.good)}`);
    if (t.excellent === t.good) return [fail];
    const warn = higher
      ? rule("warn", `(${selector} > ${bound(t.good)}) <= ${bound(t.excellent)}`, `above ${shown(t.good)} up to ${shown(t.excellent)}`)
      : rule("warn", `(${selector} >= ${bound(t.excellent)}) < ${bound(t.good)}`, `from ${shown(t.excellent)} to below ${shown(t.good)}`);
    return [fail, warn];
  });
}

/** A single-quoted YAML string: nothing is escaped in it but the quote itself, doubled. */
const q = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The rules as a Prometheus rule file (`promtool check rules` reads it); `source` says whose thresholds they are. */
export function renderAlertRules(rules: readonly AlertRule[], source: string): string {
  const out = [
    `# Prometheus alerting rules written by wsstress ${VERSION} from ${source}:`,
    "# one rule per judged metric, critical at its ❌ bound, warning in its ⚠️ band, over the series of --prometheus.",
    "groups:",
    "  - name: wsstress",
    rules.length === 0 ? "    rules: []" : "    rules:",
  ];
  for (const r of rules) {
    out.push(`      - alert: ${r.alert}`, `        expr: ${q(r.expr)}`, "        labels:");
    for (const [k, v] of Object.entries(r.labels)) out.push(`          ${k}: ${q(v)}`);
    out.push(
      "        annotations:",
      `          summary: ${q(r.annotations.summary)}`,
      `          description: ${q(r.annotations.description)}`,
    );
  }
  return out.join("\n") + "\n";
}
