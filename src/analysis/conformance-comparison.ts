/**
 * @module
 * Two conformance documents case by case: for every case either holds, its
 * verdict before and after, and whether that is better, worse, the same, or
 * a case only one of them ran. Worse is a move to a more severe verdict
 * (OK, then INFORMATIONAL, UNIMPLEMENTED, NON-STRICT, FAILED); `wsstress
 * compare` exits 1 when a case got worse. Data, not text: `report/` words it.
 *
 * @example
 * ```ts
 * import { compareConformance } from "./conformance-comparison.ts";
 * const { worse, rows } = compareConformance(baseline, current);
 * ```
 */
import { type ConformanceResult, type ConformanceVerdict, VERDICT_SEVERITY } from "../model/conformance-result.ts";

export type ConformanceChange = "same" | "better" | "worse" | "added" | "removed";

export type ConformanceRow = {
  id: string;
  before?: ConformanceVerdict;
  after?: ConformanceVerdict;
  change: ConformanceChange;
  /** the current run's reason when the verdict moved or the case is new */
  reason?: string;
};

export type ConformanceComparison = {
  baseline: { url: string; startedAt: string; verdict: ConformanceVerdict };
  current: { url: string; startedAt: string; verdict: ConformanceVerdict };
  rows: ConformanceRow[];
  same: number;
  better: number;
  worse: number;
  added: number;
  removed: number;
};

const rank = (v: ConformanceVerdict): number => VERDICT_SEVERITY[v];

/** Case ids in numeric order: 2.10 after 2.9, 6.22.34 after 6.22.4. */
export function byCaseId(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return 0;
}

export function compareConformance(baseline: ConformanceResult, current: ConformanceResult): ConformanceComparison {
  const before = new Map(baseline.cases.map((c) => [c.id, c]));
  const after = new Map(current.cases.map((c) => [c.id, c]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort(byCaseId);
  const rows = ids.map((id): ConformanceRow => {
    const b = before.get(id);
    const a = after.get(id);
    if (!a) return { id, before: b!.verdict, change: "removed" };
    if (!b) return { id, after: a.verdict, change: "added", reason: a.reason };
    const change = rank(a.verdict) === rank(b.verdict) ? "same" : rank(a.verdict) < rank(b.verdict) ? "better" : "worse";
    return { id, before: b.verdict, after: a.verdict, change, ...(change === "same" ? {} : { reason: a.reason }) };
  });
  const count = (change: ConformanceChange): number => rows.filter((r) => r.change === change).length;
  const side = (r: ConformanceResult) => ({ url: r.target.url, startedAt: r.startedAt, verdict: r.verdict });
  return {
    baseline: side(baseline),
    current: side(current),
    rows,
    same: count("same"),
    better: count("better"),
    worse: count("worse"),
    added: count("added"),
    removed: count("removed"),
  };
}
