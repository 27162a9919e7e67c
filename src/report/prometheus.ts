/**
 * @module
 * The result in the Prometheus text exposition format (0.0.4), for a
 * node_exporter textfile collector or a Pushgateway, so alert rules such as
 * the seed guide's can be written against a run. Latencies are summaries in
 * seconds with quantiles recomputed from the histograms; every other metric
 * is a gauge named `wsstress_<suite>_<key>`. A scenario's name may hold a
 * `-`, which a metric name may not: its figures are `wsstress_scenario_…`
 * with the scenario as a label.
 *
 * @example
 * ```ts
 * import { renderPrometheus } from "./prometheus.ts";
 * renderPrometheus(result);
 * // wsstress_message_latency_seconds{quantile="0.95",level="medium",layer="wire",op="rtt"} 0.00723
 * ```
 */
import { Histogram } from "../model/histogram.ts";
import { isBuiltinSuite } from "../model/result-names.ts";
import { specOf } from "../suites/metric-catalogue.ts";
import { isLatency } from "./_series.ts";
import type { Result, Verdict } from "../model/result.ts";

type Labels = Record<string, string>;
type Family = { help: string[]; type: "gauge" | "summary"; samples: string[] };

const QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.999, 1];
const VERDICT_VALUE: Record<Verdict, number> = { none: 0, pass: 1, warn: 2, fail: 3 };

/** A suite's family prefix and the label that names it: a scenario goes into the `scenario` families, named by a label. */
const familyOf = (suite: string): [string, Labels] =>
  isBuiltinSuite(suite) ? [`wsstress_${suite}`, {}] : ["wsstress_scenario", { scenario: suite }];

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

/**
 * The series a metric is exported as: a latency percentile is its quantile of
 * the histogram's summary, in seconds; any other metric a gauge of its own.
 * `labels` pick it out at every level; `scale` turns the metric's value into
 * the exported one.
 */
export function exportedSeries(suite: string, layer: string, key: string): { name: string; labels: Labels; unit: string; scale: number } {
  const spec = specOf(`${suite}.${layer}.${key}`);
  if (spec?.summary) {
    const labels = { layer, op: spec.summary.op, quantile: String(spec.summary.quantile) };
    return { name: `wsstress_${suite}_latency_seconds`, labels, unit: "s", scale: 1e-3 };
  }
  return { name: `wsstress_${suite}_${key}`, labels: { layer }, unit: spec?.unit ?? "", scale: 1 };
}

function value(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  return String(n);
}

/** Collects samples by family, so each family's HELP, TYPE and samples come out together as the format requires. */
class Exposition {
  readonly #families = new Map<string, Family>();

  /** `suffix` names a summary's `_sum` and `_count`, which belong to its family. */
  add(name: string, type: Family["type"], help: string, labels: Labels, n: number, suffix = ""): void {
    let family = this.#families.get(name);
    if (!family) this.#families.set(name, family = { help: [], type, samples: [] });
    if (!family.help.includes(help)) family.help.push(help);
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    family.samples.push(`${name}${suffix}${pairs.length ? `{${pairs.join(",")}}` : ""} ${value(n)}`);
  }

  toString(): string {
    const out: string[] = [];
    for (const [name, f] of this.#families) {
      out.push(`# HELP ${name} ${escapeHelp(f.help.join("; "))}`, `# TYPE ${name} ${f.type}`, ...f.samples);
    }
    return out.join("\n") + "\n";
  }
}

export function renderPrometheus(result: Result): string {
  const x = new Exposition();
  x.add("wsstress_run_info", "gauge", "the run: tool and runtime versions, status and overall verdict (always 1)", {
    tool_version: result.tool.version,
    runtime: result.runtime.name,
    runtime_version: result.runtime.version,
    server_runtime: result.server.runtime,
    status: result.status,
    verdict: result.verdict,
  }, 1);
  x.add("wsstress_run_duration_seconds", "gauge", "wall-clock duration of the run", {}, result.durationMs / 1000);
  for (const l of result.levels) {
    const level = l.level.name;
    for (const s of l.suites) {
      if (s.status === "skipped") {
        // no figures at all, not zeros: the reason is the label
        x.add("wsstress_suite_skipped", "gauge", "1 for a suite the protocol profile cannot express (why in reason)", {
          level,
          suite: s.suite,
          reason: s.reason ?? "",
        }, 1);
        continue;
      }
      const summarised = new Set<string>();
      const [family, named] = familyOf(s.suite);
      for (const [key, json] of Object.entries(s.histograms)) {
        const [layer, op] = key.split(".");
        // a scenario's own histogram is in its unit, not seconds: its percentiles stay gauges below
        if (!isLatency(s.suite, op, result.plan)) continue;
        const h = Histogram.fromJSON(json);
        const name = `${family}_latency_seconds`;
        const label = specOf(`${s.suite}.wire.${op}_p50_ms`, result.plan)?.label.replace(/ p50$/, "") ?? op;
        const help = `${s.suite} latency in seconds, recomputed from the histograms (op ${op}: ${label})`;
        const labels = { ...named, level, layer, op };
        for (const q of QUANTILES) x.add(name, "summary", help, { quantile: String(q), ...labels }, h.percentile(q * 100) / 1e9);
        x.add(name, "summary", help, labels, h.sum / 1e9, "_sum");
        x.add(name, "summary", help, labels, h.count, "_count");
        for (const suffix of ["p50_ms", "p95_ms", "p99_ms", "max_ms"]) summarised.add(`${layer}.${op}_${suffix}`);
      }
      for (const m of s.metrics) {
        if (summarised.has(`${m.layer}.${m.key}`)) continue; // in the summary above, in seconds
        const unit = m.unit ? ` (${m.unit})` : "";
        x.add(`${family}_${m.key}`, "gauge", `${s.suite} ${m.layer}: ${m.label}${unit}`, { ...named, level, layer: m.layer }, m.value);
      }
      x.add("wsstress_suite_verdict", "gauge", "verdict of a suite at a level: 0 none, 1 pass (✅), 2 warn (⚠️), 3 fail (❌)", {
        level,
        suite: s.suite,
      }, VERDICT_VALUE[s.verdict]);
      for (const e of s.errors) {
        x.add("wsstress_suite_errors", "gauge", "errors counted by class", { level, suite: s.suite, class: e.class }, e.count);
      }
    }
  }
  for (const d of result.analysis.degradation) {
    x.add(
      "wsstress_degradation_percent",
      "gauge",
      "throughput lost from the lowest to the highest level run, (1 - top / bottom) x 100; negative means it improved",
      {
        suite: d.suite,
        layer: d.layer,
        metric: d.key,
        from: d.bottomLevel,
        to: d.topLevel,
      },
      d.percent,
    );
  }
  return x.toString();
}
