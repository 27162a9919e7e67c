/**
 * The recommendations of `analysis/recommendations.ts` in words: the advice
 * for each kind, and the metrics it cites with their values, levels and
 * thresholds. This text is what a result document keeps.
 */
import type { Advice, Citation, ZeroKey } from "../analysis/recommendations.ts";
import type { ErrorCount } from "../model/result.ts";
import { formatNumber, formatPercent, formatThreshold, formatValue, oneLine } from "./format.ts";

const LIST_AT_MOST = 4;

const ZERO_ADVICE: Readonly<Record<ZeroKey, string>> = {
  lost: "subscribers missed deliveries. The server must never drop frames silently under backpressure: " +
    "bound each socket's send queue and disconnect a slow consumer explicitly.",
  duplicated: "some subscribers got a publication twice. Hold each subscription once in the channel table " +
    "and never resend a frame that was already handed to the socket.",
  out_of_order: "deliveries reached a subscriber out of publish order. Keep fan-out sequential per socket (one queue each); " +
    "sharded or parallel fan-out must preserve per-channel order.",
  failures: "raise the open-files limit (`ulimit -n`) on client and server, raise `net.core.somaxconn` and the listen backlog, " +
    "and widen `net.ipv4.ip_local_port_range` or spread clients over 127.0.0.x addresses to avoid ephemeral-port exhaustion.",
  wrong_denies: "legitimate requests were refused. " +
    "Check role resolution and any token or role cache for races and evictions under concurrency.",
};

function cite(c: Citation): string {
  const threshold = c.threshold ? `, threshold ${formatThreshold(c.threshold, c.unit)}` : "";
  return `${c.id} = ${formatValue(c.value, c.unit)} at ${c.level}${threshold}`;
}

function listed(items: string[]): string {
  const shown = items.slice(0, LIST_AT_MOST).join("; ");
  return items.length > LIST_AT_MOST ? `${shown}; and ${items.length - LIST_AT_MOST} more` : shown;
}

const quoted = (e: ErrorCount): string => `"${oneLine(e.message, 80)}"`;

export function recommendationText(advice: Advice): string {
  switch (advice.kind) {
    case "security": {
      const where = advice.wrongAllows.map((a) => `${formatNumber(a.count)} at ${a.level}`).join(", ");
      return `SECURITY: the server allowed requests its policy denies (permission.wire.wrong_allows: ${where}). ` +
        "Fix the RBAC checks before anything else; no performance figure matters until this is zero.";
    }
    case "zero": {
      const e = advice.firstError;
      return `${cite(advice.citation)}${e ? ` (first error: ${e.class}, ${quoted(e)})` : ""}: ${ZERO_ADVICE[advice.key]}`;
    }
    case "compression-off":
      return `permessage-deflate was not negotiated (${cite(advice.citation)}): frames went uncompressed. ` +
        "Enable it on server and client and check that no proxy strips Sec-WebSocket-Extensions; " +
        "where the runtime's server cannot offer it, compress payloads in the application.";
    case "compression-poor":
      return `${cite(advice.citation)}: payloads compress poorly (small, random or already compressed). ` +
        "Skip compression below a size threshold, or drop it to save CPU.";
    case "high-latency":
      return `High latency: ${listed(advice.citations.map(cite))}. ` +
        "Likely a CPU bottleneck, memory pressure, network congestion or slow work on the request path (database queries). " +
        "Optimize the hot path, keep I/O asynchronous, cache, or scale vertically (more CPU/RAM).";
    case "low-throughput":
      return `Low throughput: ${listed(advice.citations.map(cite))}. ` +
        "Look for a single-threaded bottleneck, synchronous blocking I/O or serialization overhead: batch operations, " +
        "spread load over worker threads or processes, enable compression when bandwidth-bound, upgrade the network.";
    case "below-threshold":
      return `Below threshold: ${listed(advice.citations.map(cite))}. ` +
        "❌ needs investigation before production; ⚠️ is acceptable but worth monitoring as traffic grows.";
    case "poor-scalability": {
      const [first] = advice.degradations;
      const fell = (d: (typeof advice.degradations)[number]): string =>
        `${d.suite}.${d.layer}.${d.key} fell ${formatPercent(d.percent)} (${formatNumber(d.bottom)} → ${formatNumber(d.top)})`;
      const list = listed(advice.degradations.map(fell));
      const cause = advice.bottleneck ? ` The bottleneck points at ${advice.bottleneck.cause} (${advice.bottleneck.suite}).` : "";
      return `Poor scalability from ${first.bottomLevel} to ${first.topLevel}: ${list}.${cause} ` +
        "Look for memory leaks, connection pool exhaustion, lock contention or GC pressure: profile with `node --cpu-prof` / " +
        "`--heap-prof` (or `--inspect` under Deno and Bun), reuse buffers on the hot path, tune the GC.";
    }
    case "suite-failed":
    case "suite-errors": {
      // the reason is quoted already
      const logged = advice.errors.filter((e) => e.message !== advice.reason).map((e) =>
        `${e.class} × ${formatNumber(e.count)} (${quoted(e)})`
      );
      if (advice.counted && logged.length === 0) logged.push(`${advice.counted.id} = ${formatNumber(advice.counted.value)}`);
      const errors = logged.join(", ") || "no error recorded";
      const why = advice.reason ? `${advice.reason}; ` : "";
      return advice.kind === "suite-failed"
        ? `The ${advice.suite} suite failed at ${advice.level}: ${why}${errors}. ` +
          "Its figures there are partial; fix this before reading them."
        : `The ${advice.suite} suite logged errors at ${advice.level}: ${errors}. ` +
          "Throughput that hides errors is not throughput: fix these first.";
    }
    case "all-pass":
      return "Every judged metric met its threshold at every level: no action needed.";
    case "capacity":
      return capacityText(advice);
  }
}

/** the seed's three bands of load, which the advice's severity already names */
function capacityText({ severity, level, connectionsPerServer, servers }: Extract<Advice, { kind: "capacity" }>): string {
  const connections = formatNumber(level.connections);
  const head = `Highest level run: ${level.name} (${formatNumber(level.operations)} operations, ${connections} connections).`;
  const sizing = `The seed's sizing puts one 8-vCPU server at about ${formatNumber(connectionsPerServer)} connections and ` +
    `100,000 messages/s, so ${connections} connections need about ${servers} server${servers === 1 ? "" : "s"} plus headroom.`;
  if (severity === "pass") {
    return `${head} Up to this load a single server is sufficient: scale vertically if needed and monitor CPU and memory. ` +
      "These figures say nothing about higher loads; run high or above before sizing for more.";
  }
  if (severity === "warn") {
    return `${head} At this load consider horizontal scaling: a load balancer with sticky sessions, shared state ` +
      `(e.g. Redis pub/sub) so a broadcast reaches subscribers on every server, and monitoring of network bandwidth. ${sizing}`;
  }
  return `${head} This load calls for a distributed architecture: an orchestrated cluster (e.g. Kubernetes) with autoscaling, ` +
    `pub/sub shared between nodes and sticky load balancing. ${sizing}`;
}
