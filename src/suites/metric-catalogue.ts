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
import { inputError, inputMessage } from "../model/input-error.ts";
import {
  isBuiltinSuite,
  type Layer,
  type Metric,
  type Plan,
  SCENARIO_NAME,
  type SuiteName,
  type Threshold,
  ThresholdSchema,
} from "../model/result.ts";
import { type MetricSpec, whole } from "./metric-spec.ts";
import { scenarioDeclarations } from "./scenario-metrics.ts";
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
/** The scenarios a plan runs, whose declarations name their metrics. */
export type Scenarios = Pick<Plan, "scenarios">;

/** The declaration of a scenario's metric `id` (`name.wire.key`), from the plan that ran it. */
function scenarioSpecOf(id: string, plan: Scenarios | undefined): Readonly<MetricSpec> | undefined {
  const [name, layer, key] = id.split(".");
  const ref = plan?.scenarios?.find((s) => s.name === name);
  return ref && key !== undefined ? scenarioDeclarations(ref)[`${layer}.${key}`] : undefined;
}

/**
 * The declaration of `id`: a built-in suite's, or a scenario's when `plan`
 * (a result's plan) ran one; undefined for an id nothing declares (one read from a file, say).
 */
export const specOf = (id: string, plan?: Scenarios): Readonly<MetricSpec> | undefined =>
  isMetricId(id) ? METRICS[id] : scenarioSpecOf(id, plan);
/** The metrics a threshold can judge: plain figures (better "none") and shares that must be whole take none. */
export const THRESHOLD_IDS: readonly MetricId[] = ids.filter((id) => METRICS[id].better !== "none" && METRICS[id].exact === undefined);

/** The default threshold table: only the metrics that are judged. */
export const DEFAULT_THRESHOLDS: Readonly<Partial<Record<MetricId, Threshold>>> = Object.freeze(
  Object.fromEntries(ids.filter((id) => METRICS[id].threshold).map((id) => [id, METRICS[id].threshold!])),
);

export function metricId(suite: string, layer: Layer, key: string): string {
  return `${suite}.${layer}.${key}`;
}

/** The threshold that judges `id`: an override wins over the default (a built-in one, or what the scenario declares). */
export function thresholdFor(id: string, overrides: Readonly<Record<string, Threshold>> = {}, plan?: Scenarios): Threshold | undefined {
  // hasOwn, so ids like "constructor" never reach Object.prototype
  if (Object.hasOwn(overrides, id)) return overrides[id];
  return specOf(id, plan)?.threshold;
}

/** A judged metric from the catalogue (and the scenarios `plan` runs); throws for an id nothing declares. */
export function makeMetric(id: string, value: number, overrides?: Readonly<Record<string, Threshold>>, plan?: Scenarios): Metric {
  const spec = specOf(id, plan);
  if (!spec) throw new RangeError(unknownId("metric", id, ids));
  const [, layer, key] = id.split(".") as [string, Layer, string];
  const threshold = thresholdFor(id, overrides, plan);
  const verdict = spec.exact === undefined ? judge(value, threshold) : value === spec.exact ? "pass" : "fail";
  return { key, label: spec.label, layer, unit: spec.unit, value, better: spec.better, verdict, ...(threshold ? { threshold } : {}) };
}

/** `name.wire.key` of a scenario: checked against the scenario once it is known (`checkScenarioThresholds`). */
const isScenarioMetricId = (id: string): boolean => {
  const [suite, layer, key, ...more] = id.split(".");
  return more.length === 0 && layer === "wire" && key !== undefined && !isBuiltinSuite(suite) && SCENARIO_NAME.test(suite);
};

const unknownId = (subject: string, id: string, allowed: readonly string[]): string =>
  inputMessage(subject, `unknown metric id "${id}"`, { names: allowed, given: id });

/**
 * How the caller names the overrides (`thresholds` in code, `--threshold` on the command line) and one of them;
 * `one(id)` starts with `all`.
 */
export type OverridesNaming = { all: string; one(id: string): string };
const IN_CODE: OverridesNaming = { all: "thresholds", one: (id) => `thresholds["${id}"]` };

/** Threshold overrides by metric id; every issue's message is a whole line of the input formatter's. */
const thresholdOverrides = (naming: OverridesNaming) =>
  v.pipe(
    v.record(
      v.pipe(
        v.string(),
        v.check((id) => isMetricId(id) || isScenarioMetricId(id), (issue) => unknownId(naming.all, String(issue.input), THRESHOLD_IDS)),
      ),
      ThresholdSchema,
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const [id, t] of Object.entries(dataset.value)) {
        // a scenario's ids are checked once the scenario is known; an unknown id is reported already
        const problem = isMetricId(id) ? misjudged(id, METRICS[id], t, naming) : undefined;
        if (problem) addIssue({ message: problem });
      }
    }),
  );

/** Why `t` cannot judge the metric `spec` declares, in the formatter's words; undefined when it can. */
function misjudged(id: string, spec: MetricSpec, t: Threshold, naming: OverridesNaming): string | undefined {
  const judged = "a metric judged by a threshold (better higher or lower)";
  if (spec.better === "none") return inputMessage(naming.one(id), "a plain figure takes no threshold", judged);
  if (spec.exact !== undefined) return inputMessage(naming.one(id), `passes only at exactly ${spec.exact} and takes no threshold`, judged);
  if (spec.better !== t.better) {
    return inputMessage(`${naming.one(id)}.better`, `"${t.better}", but ${id} is ${spec.better}-is-better`, `"${spec.better}"`);
  }
  return undefined;
}

/**
 * Checks the overrides that name a scenario's metrics against the scenarios
 * a plan runs: the scenario must be one of them, the key one it emits and judges.
 */
export function checkScenarioThresholds(
  overrides: Readonly<Record<string, Threshold>>,
  plan: Scenarios,
  naming: OverridesNaming = IN_CODE,
): void {
  for (const [id, t] of Object.entries(overrides)) {
    if (!isScenarioMetricId(id)) continue;
    const [name] = id.split(".");
    const ref = plan.scenarios?.find((s) => s.name === name);
    const names = plan.scenarios?.map((s) => s.name) ?? [];
    if (!ref) {
      throw inputError(naming.one(id), `names no scenario of this run (${names.length > 0 ? names.join(", ") : "none"})`, {
        names: THRESHOLD_IDS,
        more: "a metric of a scenario the run has",
      });
    }
    const declared = scenarioDeclarations(ref);
    const spec = specOf(id, plan);
    const judged = Object.keys(declared).filter((k) => declared[k].better !== "none" && declared[k].exact === undefined).map((k) =>
      `${name}.${k}`
    );
    if (!spec) throw new RangeError(unknownId(naming.all, id, judged));
    const problem = misjudged(id, spec, t, naming);
    if (problem) throw new RangeError(problem);
  }
}

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
