/**
 * @module
 * What weakens a comparison of runs: the sides ran on different runtimes,
 * servers, machines, profiles or windows, a side's runs differ among
 * themselves, a run did not complete, or the results straddle schema 3's
 * split of capacity from latency at load. Each is said, none refuses the
 * comparison.
 *
 * @example
 * ```ts
 * import { comparisonCaveats } from "./comparison-caveats.ts";
 * comparisonCaveats([baseline], [current]); // ["the client runtimes differ: node 24.21.0 then bun 1.4.5"]
 * ```
 */
import type { Result } from "../model/result.ts";

const runtime = (r: Result) => `${r.runtime.name} ${r.runtime.version}`;
const server = (r: Result) => (r.server.embedded ? `${r.server.runtime} (embedded)` : r.server.runtime);
const machine = (r: Result) => `${r.machine.cpuModel} × ${r.machine.cores}`;
const profile = (r: Result) => r.plan.profile?.name ?? "wsstress";
const window = (r: Result) => String(r.plan.window);

const ASPECTS: ReadonlyArray<{ name: string; of: (r: Result) => string }> = [
  { name: "the client runtimes", of: runtime },
  { name: "the servers", of: server },
  { name: "the machines", of: machine },
  { name: "the protocol profiles", of: profile },
  { name: "the windows", of: window },
];

/** One run as the comparison document lists it. */
export function describeRun(r: Result, file?: string) {
  return { ...(file === undefined ? {} : { file }), startedAt: r.startedAt, runtime: runtime(r), server: server(r), status: r.status };
}

const distinct = (runs: readonly Result[], of: (r: Result) => string): string[] => [...new Set(runs.map(of))];

/** Some runs are older than schema 3, when latency was measured in the closed loop only, and some are not. */
export function straddlesLatencySplit(baselines: readonly Result[], currents: readonly Result[]): boolean {
  return new Set([...baselines, ...currents].map((r) => r.schemaVersion >= 3)).size > 1;
}

export function comparisonCaveats(baselines: readonly Result[], currents: readonly Result[]): string[] {
  const out: string[] = [];
  if (straddlesLatencySplit(baselines, currents)) {
    const versions = (runs: readonly Result[]) => [...new Set(runs.map((r) => r.schemaVersion))].join(", ");
    out.push(
      `the results are of schema ${versions(baselines)} then ${versions(currents)}: before 3, latency was measured in the closed ` +
        "loop only, so it is compared with the closed-loop latency (queued_*) of the newer results, not with their latency at " +
        "load, and permission deny/allow latencies, which 3 keeps as one closed-loop decision latency, are left out",
    );
  }
  for (const { name, of } of ASPECTS) {
    const [a, b] = [distinct(baselines, of), distinct(currents, of)];
    if (a.length > 1) out.push(`the baseline runs differ among themselves in ${name}: ${a.join(", ")}`);
    if (b.length > 1) out.push(`the current runs differ among themselves in ${name}: ${b.join(", ")}`);
    if (a.length === 1 && b.length === 1 && a[0] !== b[0]) out.push(`${name} differ: ${a[0]} then ${b[0]}`);
  }
  const unfinished = (runs: readonly Result[], side: string) =>
    runs.flatMap((r, i) => (r.status === "complete" ? [] : [`${side}${runs.length > 1 ? ` ${i + 1}` : ""} is ${r.status}`]));
  return [...out, ...unfinished(baselines, "the baseline"), ...unfinished(currents, "the current run")];
}
