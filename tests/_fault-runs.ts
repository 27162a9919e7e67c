/**
 * What the failure-path tests share: thresholds loose enough that only a
 * fault can fail a run against the in-process fixture (which is slow by any
 * threshold), reading a suite's figures out of a result, and one printed line
 * per case with the figures the run gave, for the record.
 */
import { DEFAULT_THRESHOLDS } from "../src/suites/metric-catalogue.ts";
import type { Result, SuiteName, SuiteResult, Threshold } from "../src/model/result.ts";
import { runtime } from "./_cli.ts";

/** Thresholds that let any speed and any latency of `suites` pass: counts that must stay at zero keep theirs. */
export function lenientThresholds(...suites: SuiteName[]): Record<string, Threshold> {
  return Object.fromEntries(
    (Object.entries(DEFAULT_THRESHOLDS) as Array<[string, Threshold]>)
      .filter(([id, t]) => suites.includes(id.split(".")[0] as SuiteName) && !(t.better === "lower" && t.excellent === 1 && t.good === 1))
      .map(([id, t]) => [id, t.better === "higher" ? { ...t, excellent: 0, good: 0 } : { ...t, excellent: 1e6, good: 1e6 }]),
  );
}

/** The same as `--threshold` flags. */
export function lenient(...suites: SuiteName[]): string[] {
  return Object.entries(lenientThresholds(...suites)).flatMap(([id, t]) => ["--threshold", `${id}=${t.excellent},${t.good}`]);
}

/** The suite `name` of the run's only level. */
export function levelSuite(result: Result, name: SuiteName): SuiteResult {
  const suite = result.levels[0]?.suites.find((s) => s.suite === name);
  if (!suite) throw new Error(`no ${name} suite at the first level: ${JSON.stringify(result.levels[0]?.suites.map((s) => s.suite))}`);
  return suite;
}

export function metric(suite: SuiteResult, key: string, layer: "wire" | "engine" = "wire"): SuiteResult["metrics"][number] | undefined {
  return suite.metrics.find((m) => m.layer === layer && m.key === key);
}

export function errorCount(suite: SuiteResult, errorClass: string): number {
  return suite.errors.find((e) => e.class === errorClass)?.count ?? 0;
}

/** `key value mark` for the figures a case is about; `absent` for a metric not reported. */
export function figures(suite: SuiteResult, ...keys: string[]): string {
  const marks = { pass: "✅", warn: "⚠️", fail: "❌", none: "·" };
  return keys.map((k) => {
    const m = metric(suite, k);
    return m ? `${k} ${Number.isInteger(m.value) ? m.value : m.value.toFixed(1)} ${marks[m.verdict]}` : `${k} absent`;
  }).join(", ");
}

/** One line for the record: what the run printed for a case. */
export function record(label: string, text: string): void {
  console.log(`  [${runtime}] ${label}: ${text}`);
}
