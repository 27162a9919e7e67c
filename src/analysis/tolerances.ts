/**
 * @module
 * Tolerances: the smallest change worth a call, 10 % unless set, for every
 * metric or for one (`message.wire.rtt_p99_ms=15%`), in `compare` and
 * `matrix` alike. A single-sample figure (a maximum, a minimum: one sample
 * decides it, so it is the noisiest figure a run has) and the generator's
 * own lag behind its send schedule (a figure of the load, not of the
 * server) are never called unless a tolerance names them.
 *
 * @example
 * ```ts
 * import { tolerancesFrom, toleranceOf } from "./tolerances.ts";
 * const t = tolerancesFrom(["5%", "message.wire.rtt_p99_ms=15%"]);
 * toleranceOf(t, "message.wire.rtt_p99_ms"); // { percent: 15, gated: true }
 * toleranceOf(t, "message.wire.rtt_max_ms"); // { percent: 5, gated: false }
 * ```
 */
import { inputError } from "../model/input-error.ts";

/** A change inside ±10 % is the same unless a tolerance says otherwise. */
export const DEFAULT_TOLERANCE_PERCENT = 10;

export type Tolerances = {
  /** every metric no entry of `perMetric` names */
  readonly defaultPercent: number;
  /** by metric id, `suite.layer.key` (`process.client.cpu_s` for the matrix's process figures) */
  readonly perMetric: Readonly<Record<string, number>>;
};

export const DEFAULT_TOLERANCES: Tolerances = Object.freeze({ defaultPercent: DEFAULT_TOLERANCE_PERCENT, perMetric: Object.freeze({}) });

/** The largest or the smallest sample of a run (`rtt_max_ms`, `round_trips_per_conn_min`): one sample decides it. */
export function isSingleSample(id: string): boolean {
  return /_(max|min)(_ms)?$/.test(id);
}

/**
 * How far the load generator fell behind its own send schedule (`send_lag_p99_ms`): a figure of the load, not of the
 * server (the generator-bound mark reads it).
 */
export function isGeneratorFigure(id: string): boolean {
  return /\.send_lag_[a-z0-9_]+$/.test(id);
}

/**
 * The tolerance that applies to `id`, and whether a call on it counts (a single sample's, or the generator's own lag,
 * only when named).
 */
export function toleranceOf(t: Tolerances, id: string): { percent: number; gated: boolean } {
  if (Object.hasOwn(t.perMetric, id)) return { percent: t.perMetric[id], gated: true };
  return { percent: t.defaultPercent, gated: !isSingleSample(id) && !isGeneratorFigure(id) };
}

const ALLOWED = "a percentage ≥ 0 for every metric (10% or 2.5), or METRIC=P for one, e.g. message.wire.rtt_p99_ms=15%";
const METRIC_ID = /^[a-z]+\.[a-z]+\.[a-z][a-z0-9_]*$/;

/** A percentage ≥ 0, e.g. 10 or 2.5, checked with the caller's name for it. */
export function checkPercent(subject: string, percent: unknown): number {
  if (typeof percent !== "number" || !(percent >= 0 && Number.isFinite(percent))) {
    throw inputError(
      subject,
      `${typeof percent === "number" ? percent : JSON.stringify(percent)} is not a percentage`,
      "a number ≥ 0, e.g. 10 or 2.5",
    );
  }
  return percent;
}

/** A metric id as tolerances name them: `suite.layer.key`. */
export function checkMetricId(subject: string, id: string): string {
  if (!METRIC_ID.test(id)) throw inputError(subject, `"${id}" is not a metric id`, "suite.layer.key, e.g. message.wire.rtt_p99_ms");
  return id;
}

/** `10%`, `2.5` or `message.wire.rtt_p99_ms=15%`. */
export function parseToleranceSpec(raw: string, subject = "--tolerance"): { id?: string; percent: number } {
  const match = /^\s*(?:([^=\s]+)\s*=\s*)?(\d+(?:\.\d+)?)\s*%?\s*$/.exec(raw);
  if (!match) throw inputError(subject, `"${raw}" is not a tolerance`, ALLOWED);
  const percent = Number(match[2]);
  return match[1] === undefined ? { percent } : { id: checkMetricId(subject, match[1]), percent };
}

/** Every `--tolerance` given, in order: a later default wins, a metric named twice is refused. */
export function tolerancesFrom(specs: readonly string[], subject = "--tolerance"): Tolerances {
  let defaultPercent = DEFAULT_TOLERANCE_PERCENT;
  const perMetric: Record<string, number> = {};
  for (const raw of specs) {
    const { id, percent } = parseToleranceSpec(raw, subject);
    if (id === undefined) defaultPercent = percent;
    else if (Object.hasOwn(perMetric, id)) throw inputError(subject, `${id} is given twice`, "one tolerance per metric");
    else perMetric[id] = percent;
  }
  return { defaultPercent, perMetric };
}

/** Every id a tolerance names must name a metric that is there; the nearest one when it looks mistyped. */
export function checkNamedMetrics(t: Tolerances, known: Iterable<string>, subject = "--tolerance"): void {
  const names = [...new Set(known)].sort();
  for (const id of Object.keys(t.perMetric)) {
    if (!names.includes(id)) throw inputError(`${subject} ${id}`, "names no metric there is to compare", { names, given: id });
  }
}
