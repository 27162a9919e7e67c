/**
 * The generator's mark on one suite: the rule of `analysis/generator-bound.ts`
 * applied to what its phases measured. A bound phase's figures are a bound on
 * the server in its favour (it did at least that well): a ✅ stands, any other
 * verdict is withdrawn and the figure shown unjudged, with the reason.
 */
import { generatorBound, type LatencyPhase } from "../analysis/generator-bound.ts";
import type { GeneratorLoad } from "../load/generator-load.ts";
import { type Generator, isBuiltinSuite, type Metric } from "../model/result.ts";
import { generatorUnjudged } from "../report/evidence-text.ts";
import { SUITES } from "../suites/mod.ts";

const wire = (metrics: readonly Metric[], key: string): Metric | undefined => metrics.find((m) => m.layer === "wire" && m.key === key);

/** The suite's generator figures with the mark; `metrics` a bound phase measured lose any verdict but a pass. */
export function judgeGenerator(name: string, load: GeneratorLoad, processes: number, metrics: Metric[]): Generator {
  const split = isBuiltinSuite(name) ? SUITES[name].split : undefined;
  const paced = split?.paced?.[0];
  const p99 = paced === undefined ? undefined : wire(metrics, `${paced}_p99_ms`);
  const latency: LatencyPhase | undefined = p99 && { of: p99.key, p99Ms: p99.value, ...sendLag(metrics) };
  const boundBy = generatorBound(load.phases ?? {}, latency);
  // requests that never came back are the server's, whatever the generator did
  const partial = wire(metrics, "answered_pct")?.verdict === "fail";
  for (const b of boundBy) {
    if (partial && b.phase === "latency") continue;
    const why = generatorUnjudged(b, processes, load.phases?.[b.phase]);
    // on a bound latency phase the send lag is the reason shown, not a verdict on the server
    const paced = (split?.paced ?? []).flatMap((k) => [`${k}_p95_ms`, `${k}_p99_ms`]);
    const keys = b.phase === "capacity" ? [split?.capacity] : [...paced, "send_lag_p99_ms"];
    for (const key of keys) {
      const m = key === undefined ? undefined : wire(metrics, key);
      if (m?.threshold && m.verdict !== "pass" && m.verdict !== "none") {
        m.verdict = "none";
        m.unjudged = why;
      }
    }
  }
  return { processes, ...load, bound: boundBy.length > 0, ...(boundBy.length > 0 ? { boundBy } : {}) };
}

function sendLag(metrics: readonly Metric[]): { sendLagP99Ms?: number } {
  const lag = wire(metrics, "send_lag_p99_ms");
  return lag ? { sendLagP99Ms: lag.value } : {};
}

/** A result's generator figures as one process's load again, to judge anew (a merge, the engine layer added). */
export const loadOf = ({ processes: _p, bound: _b, boundBy: _by, ...load }: Generator): GeneratorLoad => load;
