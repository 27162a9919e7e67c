/**
 * @module
 * The catalogue of metrics the suites emit, keyed by `suite.layer.key`, with
 * their default thresholds, and the judge that turns a value into a verdict.
 * Engine thresholds are the seed guide's; wire thresholds are wsstress's own.
 *
 * @example
 * ```ts
 * import { judge, thresholdFor, validateThresholdOverrides } from "./thresholds.ts";
 * const overrides = validateThresholdOverrides({
 *   "message.wire.rtt_p99_ms": { better: "lower", excellent: 5, good: 20 },
 * });
 * judge(12, thresholdFor("message.wire.rtt_p99_ms", overrides)); // "warn"
 * ```
 */
import * as v from "valibot";
import { ThresholdSchema } from "../report/schema.ts";
import type { Layer, Metric, SuiteName, Threshold, Verdict } from "../report/schema.ts";

export type MetricSpec = {
  label: string;
  unit: string;
  better: "higher" | "lower" | "none";
  threshold?: Threshold;
  /** judged by equality instead of a threshold: passes only at exactly this value (a share that must be whole) */
  exact?: number;
  /** a count of faults that must stay at zero: the warm-up keeps these (and only these) of its figures */
  fault?: boolean;
  /** shown in the summary across levels */
  headline?: boolean;
};

const hi = (excellent: number, good: number): Threshold => ({ better: "higher", excellent, good });
const lo = (excellent: number, good: number): Threshold => ({ better: "lower", excellent, good });
/** a count that must stay at zero: 0 passes, anything else fails */
const ZERO = lo(1, 1);

type Entry = [id: string, label: string, unit: string, better: MetricSpec["better"], threshold?: Threshold, headline?: boolean];
const H = true;
/** whole: 100 % of what the level planned was done; anything less fails (see `ANSWERED` in `suites/recorder.ts`) */
const WHOLE = 100;
const answered = (suite: string, label: string): Entry => [`${suite}.wire.answered_pct`, label, "%", "higher"];

// Latency percentiles of one wire measurement; only p99 carries a threshold.
const latencies = (prefix: string, label: string, p99: Threshold | undefined): Entry[] => [
  [`${prefix}_p50_ms`, `${label} p50`, "ms", "lower"],
  [`${prefix}_p95_ms`, `${label} p95`, "ms", "lower", undefined, p99 !== undefined],
  [`${prefix}_p99_ms`, `${label} p99`, "ms", "lower", p99, p99 !== undefined],
  [`${prefix}_max_ms`, `${label} max`, "ms", "lower"],
];

const ENTRIES: Entry[] = [
  // engine layer: the hub's hot path in-process (the seed guide's thresholds)
  ["connection.engine.register_ops_per_s", "register/unregister", "ops/s", "higher", hi(500_000, 100_000), H],
  ["message.engine.ops_per_s", "parse + validate + route", "ops/s", "higher", hi(100_000, 50_000), H],
  ["message.engine.p95_us", "route p95", "µs", "lower", lo(20, 50), H],
  ["subscription.engine.ops_per_s", "channel table", "ops/s", "higher", undefined, H],
  ["broadcast.engine.deliveries_per_s", "fan-out deliveries", "deliveries/s", "higher", hi(100_000, 50_000), H],
  ["permission.engine.checks_per_s", "RBAC checks", "checks/s", "higher", hi(300_000, 100_000), H],
  ["compression.engine.savings_pct", "fflate savings", "%", "higher", hi(90, 70), H],
  ["compression.engine.mb_per_s", "fflate throughput", "MB/s", "higher"],
  ["compression.engine.ops_per_s", "fflate ops", "ops/s", "higher"],
  // wire layer: real frames over real sockets (wsstress's thresholds)
  answered("connection", "connections opened"),
  ["connection.wire.handshakes_per_s", "handshakes", "handshakes/s", "higher", hi(5_000, 1_000), H],
  ...latencies("connection.wire.handshake", "handshake", lo(50, 200)),
  ["connection.wire.failures", "failures", "", "lower", ZERO],
  ["connection.wire.peak_sockets", "peak live sockets", "sockets", "none"],
  ["connection.wire.client_bytes_per_conn", "client memory per connection", "B", "lower"],
  ["connection.wire.server_bytes_per_conn", "server memory per connection", "B", "lower"],
  ["connection.wire.server_connections", "connections the server counted", "connections", "none"],
  answered("message", "round trips answered"),
  ["message.wire.round_trips_per_s", "round trips", "round trips/s", "higher", hi(40_000, 15_000), H],
  ...latencies("message.wire.rtt", "RTT", lo(10, 50)),
  ["message.wire.errors", "errors", "", "lower", ZERO],
  // a connection that got no reply at all: good totals must not hide it
  ["message.wire.starved_connections", "starved connections", "", "lower", ZERO],
  // fairness: round trips each connection completed; a spread (cv) above zero means some were served less
  ["message.wire.round_trips_per_conn_min", "round trips per connection, min", "round trips", "higher"],
  ["message.wire.round_trips_per_conn_max", "round trips per connection, max", "round trips", "none"],
  ["message.wire.round_trips_per_conn_cv_pct", "round trips per connection, spread (cv)", "%", "lower"],
  // open loop only: how far behind its schedule the generator sent at worst
  ["message.wire.send_lag_ms", "generator behind schedule, max", "ms", "lower"],
  answered("subscription", "subscribe/unsubscribe requests answered"),
  ["subscription.wire.acks_per_s", "acks", "acks/s", "higher", hi(20_000, 5_000), H],
  ...latencies("subscription.wire.ack", "ack", lo(10, 50)),
  ["subscription.wire.errors", "errors", "", "lower", ZERO],
  answered("broadcast", "deliveries received"),
  ["broadcast.wire.deliveries_per_s", "deliveries", "deliveries/s", "higher", hi(100_000, 20_000), H],
  ...latencies("broadcast.wire.latency", "publish-to-receipt", lo(20, 100)),
  ["broadcast.wire.lost", "lost deliveries", "", "lower", ZERO],
  ["broadcast.wire.duplicated", "duplicated deliveries", "", "lower", ZERO],
  ["broadcast.wire.out_of_order", "out-of-order deliveries", "", "lower", ZERO],
  // deliveries to a connection whose subscribe the server refused
  ["broadcast.wire.unexpected", "unexpected deliveries", "", "lower", ZERO],
  // how long the suite kept counting late deliveries after the last one it waited for, until its connections closed
  ["broadcast.wire.tail_ms", "late deliveries watched for", "ms", "none"],
  // falls as subscribers grow by design, so it is a plain figure, not a throughput to degrade
  ["broadcast.wire.publishes_per_s", "publishes", "publishes/s", "none"],
  ["broadcast.wire.subscribers", "subscribers", "subscribers", "none"],
  // --p99-bound only: the highest delivery rate whose p99 held the bound, its p99, and the first rate that broke it
  ["broadcast.wire.knee_deliveries_per_s", "knee: deliveries at p99 within the bound", "deliveries/s", "higher"],
  ["broadcast.wire.knee_p99_ms", "knee: p99 at that rate", "ms", "lower"],
  ["broadcast.wire.knee_fail_deliveries_per_s", "knee: first rate over the bound", "deliveries/s", "none"],
  answered("permission", "decisions answered"),
  ["permission.wire.decisions_per_s", "allow/deny decisions", "decisions/s", "higher", hi(20_000, 5_000), H],
  ...latencies("permission.wire.deny", "deny path", lo(10, 50)),
  ["permission.wire.wrong_allows", "wrong allows", "", "lower", ZERO],
  ["permission.wire.wrong_denies", "wrong denies", "", "lower", ZERO],
  ...latencies("permission.wire.allow", "allow path", undefined),
  ["permission.wire.allowed", "allowed", "decisions", "none"],
  ["permission.wire.denied", "denied", "decisions", "none"],
  ["permission.wire.authenticated", "authenticated connections", "connections", "none"],
  answered("compression", "round trips answered"),
  ["compression.wire.savings_pct", "permessage-deflate savings", "%", "higher", hi(50, 20), H],
  ["compression.wire.plain_overhead_pct", "framing overhead without deflate", "%", "lower"],
  ["compression.wire.negotiated", "permessage-deflate negotiated (1 = yes)", "", "none"],
  ["compression.wire.round_trips_per_s", "compressed round trips", "round trips/s", "higher"],
  ["compression.wire.payload_bytes", "payload bytes", "B", "none"],
  ["compression.wire.wire_bytes", "bytes on the wire", "B", "none"],
];

/** Every metric wsstress knows, by `suite.layer.key`. */
export const METRICS: Readonly<Record<string, Readonly<MetricSpec>>> = Object.freeze(
  Object.fromEntries(
    ENTRIES.map(([id, label, unit, better, threshold, headline]) => [
      id,
      Object.freeze({
        label,
        unit,
        better,
        ...(threshold ? { threshold } : {}),
        ...(id.endsWith(".answered_pct") ? { exact: WHOLE } : {}),
        ...(threshold === ZERO ? { fault: true } : {}),
        ...(headline ? { headline } : {}),
      }),
    ]),
  ),
);

/** The default threshold table: only the metrics that are judged. */
export const DEFAULT_THRESHOLDS: Readonly<Record<string, Threshold>> = Object.freeze(
  Object.fromEntries(ENTRIES.filter((e) => e[4]).map((e) => [e[0], e[4]!])),
);

export function metricId(suite: SuiteName, layer: Layer, key: string): string {
  return `${suite}.${layer}.${key}`;
}

/** higher: > excellent passes, > good warns; lower: < excellent passes, < good warns; else fails. */
export function judge(value: number, threshold: Threshold | undefined): Verdict {
  if (!threshold) return "none";
  if (threshold.better === "higher") {
    return value > threshold.excellent ? "pass" : value > threshold.good ? "warn" : "fail";
  }
  return value < threshold.excellent ? "pass" : value < threshold.good ? "warn" : "fail";
}

/** The threshold that judges `id`: an override wins over the default. */
export function thresholdFor(id: string, overrides: Readonly<Record<string, Threshold>> = {}): Threshold | undefined {
  // hasOwn, so ids like "constructor" never reach Object.prototype
  if (Object.hasOwn(overrides, id)) return overrides[id];
  return Object.hasOwn(DEFAULT_THRESHOLDS, id) ? DEFAULT_THRESHOLDS[id] : undefined;
}

/** A judged metric from the catalogue; throws for an id it does not hold. */
export function makeMetric(id: string, value: number, overrides?: Readonly<Record<string, Threshold>>): Metric {
  if (!Object.hasOwn(METRICS, id)) throw new RangeError(unknownIdMessage(id));
  const spec = METRICS[id];
  const [, layer, key] = id.split(".") as [SuiteName, Layer, string];
  const threshold = thresholdFor(id, overrides);
  return {
    key,
    label: spec.label,
    layer,
    unit: spec.unit,
    value,
    better: spec.better,
    verdict: spec.exact === undefined ? judge(value, threshold) : value === spec.exact ? "pass" : "fail",
    ...(threshold ? { threshold } : {}),
  };
}

const ThresholdOverridesSchema = v.pipe(
  v.record(
    v.pipe(
      v.string(),
      v.check((id) => Object.hasOwn(METRICS, id), (issue) => unknownIdMessage(String(issue.input))),
    ),
    ThresholdSchema,
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const [id, t] of Object.entries(dataset.value)) {
      if (!Object.hasOwn(METRICS, id)) continue; // already reported as unknown
      const better = METRICS[id].better;
      if (better === "none") {
        addIssue({ message: `${id} is a plain figure and takes no threshold` });
      } else if (METRICS[id].exact !== undefined) {
        addIssue({ message: `${id} passes only at exactly ${METRICS[id].exact} and takes no threshold` });
      } else if (better !== t.better) {
        addIssue({ message: `${id} is ${better}-is-better; its threshold must say better: "${better}"` });
      }
    }
  }),
);

/** Validates `suite.layer.key → threshold` overrides; throws a `v.ValiError` naming the allowed ids. */
export function validateThresholdOverrides(input: unknown): Record<string, Threshold> {
  return v.parse(ThresholdOverridesSchema, input);
}

function unknownIdMessage(id: string): string {
  const near = nearest(id);
  const hint = near ? ` (did you mean "${near}"?)` : "";
  return `unknown metric id "${id}"${hint}; allowed ids: ${Object.keys(METRICS).join(", ")}`;
}

// A typo such as `rtt_p99` for `rtt_p99_ms` is the common mistake: suggest the closest id.
function nearest(id: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(id.length / 4)) + 1;
  for (const known of Object.keys(METRICS)) {
    const d = distance(id, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
