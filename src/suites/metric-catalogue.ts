/**
 * @module
 * The catalogue of metrics, keyed by `suite.layer.key`: what the six suites
 * declare (`metrics` in each suite's file), engine layers first, with their
 * default thresholds; the judged metric a value becomes; and the check of
 * threshold overrides.
 *
 * @example
 * ```ts
 * import { makeMetric, validateThresholdOverrides } from "./metric-catalogue.ts";
 * const overrides = validateThresholdOverrides({
 *   "message.wire.rtt_p99_ms": { better: "lower", excellent: 5, good: 20 },
 * });
 * makeMetric("message.wire.rtt_p99_ms", 12, overrides).verdict; // "warn"
 * ```
 */
import * as v from "valibot";
import { judge } from "../analysis/verdicts.ts";
import { inputMessage } from "../model/input-error.ts";
import { type Layer, type Metric, type SuiteName, ThresholdSchema, type Threshold } from "../model/result.ts";
import { type MetricSpec, whole } from "./metric-spec.ts";
import { ANSWERED } from "./suite-recorder.ts";
import { SUITES } from "./mod.ts";

export type { MetricSpec } from "./metric-spec.ts";

/**
 * `suite.layer.key` of a metric, e.g. `"message.wire.rtt_p99_ms"`: the suite and the layer are
 * checked by the compiler, the key when the id is used (`isMetricId`). The exact union of the
 * declared keys would need each suite's declaration restated as a type for JSR's public API.
 */
export type MetricId = `${SuiteName}.${Layer}.${string}`;

/** A suite's metrics of one layer; every wire layer starts with the share of the planned work it did. */
const declared = (layer: Layer): Array<[MetricId, MetricSpec]> =>
  Object.values(SUITES).flatMap((suite) => {
    const own = Object.entries(suite.metrics).filter(([key]) => key.startsWith(`${layer}.`));
    const all = layer === "wire" ? [[`wire.${ANSWERED}`, whole(suite.answered)] as const, ...own] : own;
    return all.map(([key, spec]): [MetricId, MetricSpec] => [`${suite.name}.${key}` as MetricId, spec]);
  });

/** Every metric wsstress knows, by `suite.layer.key`. */
export const METRICS: Readonly<Record<MetricId, Readonly<MetricSpec>>> = Object.freeze(
  Object.fromEntries([...declared("engine"), ...declared("wire")]) as Record<MetricId, MetricSpec>,
);

const ids = Object.keys(METRICS) as MetricId[];
export const isMetricId = (id: string): id is MetricId => Object.hasOwn(METRICS, id);
/** The declaration of `id`, undefined for an id no suite declares (one read from a file, say). */
export const specOf = (id: string): Readonly<MetricSpec> | undefined => (isMetricId(id) ? METRICS[id] : undefined);
/** The metrics a threshold can judge: plain figures (better "none") and shares that must be whole take none. */
export const THRESHOLD_IDS: readonly MetricId[] = ids.filter((id) => METRICS[id].better !== "none" && METRICS[id].exact === undefined);

/** The default threshold table: only the metrics that are judged. */
export const DEFAULT_THRESHOLDS: Readonly<Partial<Record<MetricId, Threshold>>> = Object.freeze(
  Object.fromEntries(ids.filter((id) => METRICS[id].threshold).map((id) => [id, METRICS[id].threshold!])),
);

export function metricId(suite: SuiteName, layer: Layer, key: string): string {
  return `${suite}.${layer}.${key}`;
}

/** The threshold that judges `id`: an override wins over the default. */
export function thresholdFor(id: string, overrides: Readonly<Record<string, Threshold>> = {}): Threshold | undefined {
  // hasOwn, so ids like "constructor" never reach Object.prototype
  if (Object.hasOwn(overrides, id)) return overrides[id];
  return isMetricId(id) ? DEFAULT_THRESHOLDS[id] : undefined;
}

/** A judged metric from the catalogue; throws for an id no suite declares. */
export function makeMetric(id: string, value: number, overrides?: Readonly<Record<string, Threshold>>): Metric {
  if (!isMetricId(id)) throw new RangeError(unknownId("metric", id, ids));
  const spec = METRICS[id];
  const [, layer, key] = id.split(".") as [SuiteName, Layer, string];
  const threshold = thresholdFor(id, overrides);
  const verdict = spec.exact === undefined ? judge(value, threshold) : value === spec.exact ? "pass" : "fail";
  return { key, label: spec.label, layer, unit: spec.unit, value, better: spec.better, verdict, ...(threshold ? { threshold } : {}) };
}

const unknownId = (subject: string, id: string, allowed: readonly string[]): string =>
  inputMessage(subject, `unknown metric id "${id}"`, { names: allowed, given: id });

/** How the caller names the overrides (`thresholds` in code, `--threshold` on the command line) and one of them; `one(id)` starts with `all`. */
export type OverridesNaming = { all: string; one(id: string): string };
const IN_CODE: OverridesNaming = { all: "thresholds", one: (id) => `thresholds["${id}"]` };

/** Threshold overrides by metric id; every issue's message is a whole line of the input formatter's. */
const thresholdOverrides = (naming: OverridesNaming) =>
  v.pipe(
    v.record(v.pipe(v.string(), v.check(isMetricId, (issue) => unknownId(naming.all, String(issue.input), THRESHOLD_IDS))), ThresholdSchema),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const [id, t] of Object.entries(dataset.value)) {
        if (!isMetricId(id)) continue; // already reported as unknown
        const better = METRICS[id].better;
        const judged = "a metric judged by a threshold (better higher or lower)";
        if (better === "none") addIssue({ message: inputMessage(naming.one(id), "a plain figure takes no threshold", judged) });
        else if (METRICS[id].exact !== undefined) addIssue({ message: inputMessage(naming.one(id), `passes only at exactly ${METRICS[id].exact} and takes no threshold`, judged) });
        else if (better !== t.better) addIssue({ message: inputMessage(`${naming.one(id)}.better`, `"${t.better}", but ${id} is ${better}-is-better`, `"${better}"`) });
      }
    }),
  );

/**
 * Validates `suite.layer.key → threshold` overrides; throws a RangeError that
 * names the id (with the nearest known one when it looks mistyped) and what is allowed.
 */
export function validateThresholdOverrides(input: unknown, naming: OverridesNaming = IN_CODE): Partial<Record<MetricId, Threshold>> {
  const result = v.safeParse(thresholdOverrides(naming), input);
  if (result.success) return result.output as Partial<Record<MetricId, Threshold>>;
  const issue = result.issues[0];
  // the checks above word their own lines; valibot's (a threshold's fields) get the id, the field and the rule
  const [id, ...field] = issue.path?.map((p) => String(p.key)) ?? [];
  if (issue.message.startsWith(naming.all) || id === undefined) throw new RangeError(issue.message);
  const subject = [naming.one(id), ...field].join(".");
  throw new RangeError(inputMessage(subject, issue.message, "{ better, excellent, good } with excellent at least as strict as good"));
}
