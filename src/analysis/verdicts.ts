/**
 * @module
 * Verdicts: a value judged against its threshold, then rolled up from
 * metrics to suites, levels and the whole run.
 * Order: fail > warn > pass > none.
 */
import { faultVerdict } from "../model/faults.ts";
import type { LevelResult, SuiteResult, Threshold, Verdict } from "../model/result.ts";

const RANK: Record<Verdict, number> = { none: 0, pass: 1, warn: 2, fail: 3 };

/** higher: > excellent passes, > good warns; lower: < excellent passes, < good warns; else fails. No threshold: none. */
export function judge(value: number, threshold: Threshold | undefined): Verdict {
  if (!threshold) return "none";
  if (threshold.better === "higher") {
    return value > threshold.excellent ? "pass" : value > threshold.good ? "warn" : "fail";
  }
  return value < threshold.excellent ? "pass" : value < threshold.good ? "warn" : "fail";
}

/** The worst of `verdicts`; `none` when there are none. */
export function worst(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = "none";
  for (const v of verdicts) if (RANK[v] > RANK[result]) result = v;
  return result;
}

/** Sorts fail first; for ordering recommendations and rows. */
export function compareVerdicts(a: Verdict, b: Verdict): number {
  return RANK[b] - RANK[a];
}

/** How many requests the server allowed that the policy denies, from the metric or the error log. */
export function wrongAllows(suite: SuiteResult): number {
  if (suite.suite !== "permission") return 0;
  const metric = suite.metrics.find((m) => m.layer === "wire" && m.key === "wrong_allows")?.value ?? 0;
  const logged = suite.errors.find((e) => e.class === "wrong_allow")?.count ?? 0;
  return Math.max(metric, logged);
}

/**
 * The worst of the suite's metric verdicts and of its errors' fault classes
 * (`load/faults.ts`); a suite that failed (threw, measured nothing, lost its
 * server) fails; a wrong allow is a security bug, so it fails the suite
 * however fast it was. An aborted suite is judged on what it saw before the
 * stop: what the stop cut short was never counted.
 */
export function suiteVerdict(suite: SuiteResult): Verdict {
  if (wrongAllows(suite) > 0 || suite.status === "failed") return "fail";
  return worst([...suite.metrics.map((m) => m.verdict), ...suite.errors.map((e) => faultVerdict(e.class))]);
}

/** The worst of the level's suites and of its conformance under load (--conform), when sampled. */
export function levelVerdict(level: LevelResult): Verdict {
  return worst([...level.suites.map(suiteVerdict), level.conformance?.verdict ?? "none"]);
}

/** The run's verdict: its worst level, and the warm-up's faults. Degradation informs, it does not fail a run. */
export function overallVerdict(levels: readonly LevelResult[], warmup?: LevelResult): Verdict {
  return worst([...levels, ...(warmup ? [warmup] : [])].map(levelVerdict));
}
