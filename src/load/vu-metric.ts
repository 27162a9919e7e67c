/**
 * `vu.metric(name)`: the user's own metrics, recorded into the share's
 * tally as counts and histograms, so they merge exactly like every built-in
 * figure. Only declared names are accepted: a typo is an error, not a new
 * metric nobody reads.
 */
import { MAX_TRACKABLE_NS } from "../model/histogram.ts";
import type { ScenarioTally } from "./scenario-tally.ts";

/** What `vu.metric(name)` returns. */
export type MetricRecorder = {
  /** counter: adds `value` (≥ 0); histogram: records it (0 to 17,592,186); rate: counts a true (non-zero) or a false */
  add(value: number | boolean): void;
};

/** A user's histogram keeps its values × 1e6, so a value in ms is its ns, like every latency: 1e-6 apart, up to 2^44 / 1e6. */
export const USER_HISTOGRAM_SCALE = 1e6;
const MAX_VALUE = Math.floor(MAX_TRACKABLE_NS / USER_HISTOGRAM_SCALE);

const recorders = new WeakMap<ScenarioTally, Map<string, MetricRecorder>>();

export function metricRecorder(tally: ScenarioTally, name: string): MetricRecorder {
  let byName = recorders.get(tally);
  if (!byName) recorders.set(tally, byName = new Map());
  const known = byName.get(name);
  if (known) return known;
  const m = tally.user.get(name);
  if (!m) {
    const declared = [...tally.user.keys()];
    throw new RangeError(
      `metric: "${name}" is not declared; allowed: ${
        declared.length > 0 ? declared.join(", ") : "none (declare it in defineScenario's metrics)"
      }`,
    );
  }
  const bad = (value: unknown, allowed: string): never => {
    throw new RangeError(`metric ${name}: ${String(value)}; allowed: ${allowed}`);
  };
  let recorder: MetricRecorder;
  if (m.kind === "counter") {
    recorder = { add: (v) => (typeof v === "number" && v >= 0 && Number.isFinite(v) ? void (m.sum += v) : bad(v, "a finite number ≥ 0")) };
  } else if (m.kind === "histogram") {
    recorder = {
      add: (
        v,
      ) => (typeof v === "number" && v >= 0 && v <= MAX_VALUE
        ? m.histogram.record(v * USER_HISTOGRAM_SCALE)
        : bad(v, `a number from 0 to ${MAX_VALUE}`)),
    };
  } else {
    recorder = {
      add(v) {
        m.adds++;
        if (v) m.trues++;
      },
    };
  }
  byName.set(name, recorder);
  return recorder;
}
