/**
 * @module
 * Recommendations: what to do about a run. Security first (a wrong allow),
 * then one entry per problem area (the seed's Troubleshooting: high latency,
 * low throughput, degradation > 30 %, plus delivery, connection and
 * compression faults), worst first; last, the seed's production advice for
 * the highest level run. Each cites the metric, its value and the level.
 */
import { formatNumber, formatPercent, formatThreshold, formatValue, oneLine } from "../report/format.ts";
import type { Analysis, Degradation, LevelResult, Metric, SuiteResult, Verdict } from "../report/schema.ts";
import { faultVerdict } from "../load/faults.ts";
import { isThroughput, type Bottleneck } from "./degradation.ts";
import { METRICS } from "./thresholds.ts";
import { compareVerdicts, worst, wrongAllows } from "./verdicts.ts";

export type Recommendation = Analysis["recommendations"][number];

type Seen = { id: string; metric: Metric; suite: SuiteResult; level: LevelResult };

/** The seed's single-server sizing (8 vCPU): about this many concurrent connections. */
const CONNECTIONS_PER_SERVER = 10_000;
const LIST_AT_MOST = 4;

export function recommendations(
  levels: readonly LevelResult[],
  degradations: readonly Degradation[],
  bottleneck: Bottleneck | null,
  warmup?: LevelResult,
): Recommendation[] {
  if (levels.length === 0 && !warmup) return [];
  // the warm-up's faults are cited like a level's ("at warmup"); its figures carry no rate or percentile
  const judged = warmup ? [warmup, ...levels] : levels;
  const flagged = worstOccurrences(judged);
  const handled = new Set<string>();
  // ids whose recommendation already quotes the suite's error log
  const explained = new Set<string>();
  const take = (pred: (s: Seen) => boolean) => {
    const hits = flagged.filter((s) => !handled.has(s.id) && pred(s));
    for (const s of hits) handled.add(s.id);
    return hits;
  };
  const out: Recommendation[] = [];
  const add = (severity: Verdict, text: string) => out.push({ severity, text });

  const zero = (key: string, advice: string) => {
    for (const s of take((s) => s.metric.layer === "wire" && s.metric.key === key)) {
      explained.add(s.id);
      add(s.metric.verdict, `${cite(s)}${firstError(s.suite)}: ${advice}`);
    }
  };
  zero("lost", "subscribers missed deliveries. The server must never drop frames silently under backpressure: bound each socket's send queue and disconnect a slow consumer explicitly.");
  zero("duplicated", "some subscribers got a publication twice. Hold each subscription once in the channel table and never resend a frame that was already handed to the socket.");
  zero("out_of_order", "deliveries reached a subscriber out of publish order. Keep fan-out sequential per socket (one queue each); sharded or parallel fan-out must preserve per-channel order.");
  zero("failures", "raise the open-files limit (`ulimit -n`) on client and server, raise `net.core.somaxconn` and the listen backlog, and widen `net.ipv4.ip_local_port_range` or spread clients over 127.0.0.x addresses to avoid ephemeral-port exhaustion.");
  zero("wrong_denies", "legitimate requests were refused. Check role resolution and any token or role cache for races and evictions under concurrency.");
  // reported per suite below: wrong allows with the security note, error counts with the error log
  take((s) => s.metric.key === "wrong_allows" || s.metric.key === "errors");

  const compression = take((s) => s.suite.suite === "compression" && s.metric.key === "savings_pct");
  for (const s of compression) {
    const off = s.metric.layer === "wire" && (s.metric.value <= 1 || /not negotiated/i.test(s.suite.notes.join(" ")));
    add(
      off ? "warn" : s.metric.verdict,
      off
        ? `permessage-deflate was not negotiated (${cite(s)}): frames went uncompressed. Enable it on server and client and check that no proxy strips Sec-WebSocket-Extensions; where the runtime's server cannot offer it, compress payloads in the application.`
        : `${cite(s)}: payloads compress poorly (small, random or already compressed). Skip compression below a size threshold, or drop it to save CPU.`,
    );
  }

  area(take((s) => s.metric.better === "lower" && /^(ms|µs|μs|ns|s)$/.test(s.metric.unit)), (sev, list) =>
    add(sev, `High latency: ${list}. Likely a CPU bottleneck, memory pressure, network congestion or slow work on the request path (database queries). Optimize the hot path, keep I/O asynchronous, cache, or scale vertically (more CPU/RAM).`),
  );
  area(take((s) => isThroughput(s.metric)), (sev, list) =>
    add(sev, `Low throughput: ${list}. Look for a single-threaded bottleneck, synchronous blocking I/O or serialization overhead: batch operations, spread load over worker threads or processes, enable compression when bandwidth-bound, upgrade the network.`),
  );
  const poor = degradations.filter((d) => d.verdict === "fail").sort((a, b) => b.percent - a.percent);
  if (poor.length > 0) {
    const list = listed(poor.map((d) => `${d.suite}.${d.layer}.${d.key} fell ${formatPercent(d.percent)} (${formatNumber(d.bottom)} → ${formatNumber(d.top)})`));
    const cause = bottleneck ? ` The bottleneck points at ${bottleneck.cause} (${bottleneck.suite}).` : "";
    add("fail", `Poor scalability from ${poor[0].bottomLevel} to ${poor[0].topLevel}: ${list}.${cause} Look for memory leaks, connection pool exhaustion, lock contention or GC pressure: profile with \`node --cpu-prof\` / \`--heap-prof\` (or \`--inspect\` under Deno and Bun), reuse buffers on the hot path, tune the GC.`);
  }
  area(take(() => true), (sev, list) =>
    add(sev, `Below threshold: ${list}. ❌ needs investigation before production; ⚠️ is acceptable but worth monitoring as traffic grows.`),
  );

  for (const s of troubledSuites(judged, explained)) add(s.severity, s.text);
  out.sort((a, b) => compareVerdicts(a.severity, b.severity));
  out.unshift(...security(judged));
  if (out.length === 0 && flaggedNothing(judged)) {
    add("pass", "Every judged metric met its threshold at every level: no action needed.");
  }
  if (levels.length > 0) out.push(levelAdvice(levels));
  return out;
}

/**
 * For each metric id that warned or failed somewhere: its worst occurrence, the highest level on a tie.
 * A failed suite's figures are partial: only its fault counts are advised on, the failure itself below.
 */
function worstOccurrences(levels: readonly LevelResult[]): Seen[] {
  const byId = new Map<string, Seen>();
  for (const level of levels) {
    for (const suite of level.suites) {
      for (const metric of suite.metrics) {
        if (metric.verdict !== "warn" && metric.verdict !== "fail") continue;
        const id = `${suite.suite}.${metric.layer}.${metric.key}`;
        if (suite.status === "failed" && !METRICS[id]?.fault) continue;
        const prior = byId.get(id);
        if (!prior || compareVerdicts(metric.verdict, prior.metric.verdict) <= 0) byId.set(id, { id, metric, suite, level });
      }
    }
  }
  return [...byId.values()].sort((a, b) => compareVerdicts(a.metric.verdict, b.metric.verdict));
}

function cite(s: Seen): string {
  const threshold = s.metric.threshold ? `, threshold ${formatThreshold(s.metric.threshold, s.metric.unit)}` : "";
  return `${s.id} = ${formatValue(s.metric.value, s.metric.unit)} at ${s.level.level.name}${threshold}`;
}

function area(hits: Seen[], emit: (severity: Verdict, list: string) => void): void {
  if (hits.length > 0) emit(worst(hits.map((s) => s.metric.verdict)), listed(hits.map(cite)));
}

function listed(items: string[]): string {
  const shown = items.slice(0, LIST_AT_MOST).join("; ");
  return items.length > LIST_AT_MOST ? `${shown}; and ${items.length - LIST_AT_MOST} more` : shown;
}

function firstError(suite: SuiteResult): string {
  const e = suite.errors[0];
  return e ? ` (first error: ${e.class}, "${oneLine(e.message, 80)}")` : "";
}

function security(levels: readonly LevelResult[]): Recommendation[] {
  const at = levels.flatMap((l) => l.suites.filter((s) => wrongAllows(s) > 0).map((s) => ({ level: l.level.name, n: wrongAllows(s) })));
  if (at.length === 0) return [];
  const where = at.map((a) => `${formatNumber(a.n)} at ${a.level}`).join(", ");
  return [{
    severity: "fail",
    text: `SECURITY: the server allowed requests its policy denies (permission.wire.wrong_allows: ${where}). Fix the RBAC checks before anything else; no performance figure matters until this is zero.`,
  }];
}

/** Suites that failed, or logged faults no metric above explained; what a user's stop cut short is no fault. */
function troubledSuites(levels: readonly LevelResult[], explained: Set<string>): Recommendation[] {
  const latest = new Map<string, { level: LevelResult; suite: SuiteResult }>();
  for (const level of levels) {
    for (const suite of level.suites) {
      const quoted = suite.metrics.some((m) => explained.has(`${suite.suite}.${m.layer}.${m.key}`) && m.value > 0);
      const errors = suite.errors.some((e) => e.class !== "wrong_allow" && faultVerdict(e.class) !== "none") ||
        suite.metrics.some((m) => m.key === "errors" && m.value > 0);
      if (suite.status === "failed" || (errors && !quoted)) latest.set(suite.suite, { level, suite });
    }
  }
  return [...latest.values()].map(({ level, suite }) => {
    const counted = suite.metrics.find((m) => m.key === "errors" && m.value > 0);
    // the reason is quoted already
    const logged = suite.errors.filter((e) => e.message !== suite.reason).map((e) => `${e.class} × ${formatNumber(e.count)} ("${oneLine(e.message, 80)}")`);
    if (counted && logged.length === 0) logged.push(`${suite.suite}.${counted.layer}.errors = ${formatNumber(counted.value)}`);
    const errors = logged.join(", ") || "no error recorded";
    const why = suite.reason ? `${suite.reason}; ` : "";
    const failed = `The ${suite.suite} suite failed at ${level.level.name}: ${why}${errors}.`;
    return suite.status === "failed"
      ? { severity: "fail" as const, text: `${failed} Its figures there are partial; fix this before reading them.` }
      : { severity: worst(["warn", counted?.verdict ?? "none"]), text: `The ${suite.suite} suite logged errors at ${level.level.name}: ${errors}. Throughput that hides errors is not throughput: fix these first.` };
  });
}

function flaggedNothing(levels: readonly LevelResult[]): boolean {
  const metrics = levels.flatMap((l) => l.suites.flatMap((s) => s.metrics));
  return metrics.some((m) => m.verdict === "pass") && !metrics.some((m) => m.verdict === "warn" || m.verdict === "fail");
}

/** The seed's "Production Recommendations, based on load level", for the highest level run. */
function levelAdvice(levels: readonly LevelResult[]): Recommendation {
  const top = levels.reduce((a, b) => (b.level.operations >= a.level.operations ? b : a)).level;
  const servers = Math.max(1, Math.ceil(top.connections / CONNECTIONS_PER_SERVER));
  const head = `Highest level run: ${top.name} (${formatNumber(top.operations)} operations, ${formatNumber(top.connections)} connections).`;
  const sizing = `The seed's sizing puts one 8-vCPU server at about ${formatNumber(CONNECTIONS_PER_SERVER)} connections and 100,000 messages/s, so ${formatNumber(top.connections)} connections need about ${servers} server${servers === 1 ? "" : "s"} plus headroom.`;
  if (top.operations <= 100_000) {
    return { severity: "pass", text: `${head} Up to this load a single server is sufficient: scale vertically if needed and monitor CPU and memory. These figures say nothing about higher loads; run high or above before sizing for more.` };
  }
  if (top.operations <= 1_000_000) {
    return { severity: "warn", text: `${head} At this load consider horizontal scaling: a load balancer with sticky sessions, shared state (e.g. Redis pub/sub) so a broadcast reaches subscribers on every server, and monitoring of network bandwidth. ${sizing}` };
  }
  return { severity: "fail", text: `${head} This load calls for a distributed architecture: an orchestrated cluster (e.g. Kubernetes) with autoscaling, pub/sub shared between nodes and sticky load balancing. ${sizing}` };
}
