/**
 * The recommendations of `analysis/recommendations.ts` in words: the advice
 * for each kind, and the metrics it cites with their values, levels and
 * thresholds, and what they were measured under. The words say what the run
 * saw and what to do next; they name no cause the run could not have
 * observed (no network for a loopback run, no database for the embedded
 * server). This text is what a result document keeps.
 */
import type { Advice, Citation, ZeroKey } from "../analysis/recommendations.ts";
import type { ErrorCount } from "../model/result.ts";
import { formatNumber, formatPercent, formatThreshold, formatValue, oneLine } from "./format.ts";

const LIST_AT_MOST = 4;

const ZERO_ADVICE: Readonly<Record<Exclude<ZeroKey, "failures">, string>> = {
  lost: "deliveries the server acknowledged publishing never reached a subscriber it had acknowledged. Each publish must reach " +
    "every subscriber, or the subscriber must be told (closed with a reason): find where the fan-out lets a frame go.",
  duplicated: "a subscriber received the same publication more than once on one connection: the server sent that frame twice to it.",
  out_of_order: "a subscriber received a publication after a later one of the same channel: the server did not keep per-channel order " +
    "for that connection.",
  wrong_denies: "the server refused requests its policy allows. Check the role it resolved for the refused requests cited.",
};

/** Advice on failed connections, from what the first failure said: the run saw the error, not the cause behind it. */
function failuresAdvice(first: ErrorCount | undefined): string {
  const said = first?.message ?? "";
  if (/EMFILE|ENFILE|too many open files/i.test(said)) {
    return "a process ran out of file descriptors: raise the open-files limit (`ulimit -n`) where it ran.";
  }
  if (/EADDRNOTAVAIL|EADDRINUSE/i.test(said)) {
    return "the client ran out of local ports: widen `net.ipv4.ip_local_port_range`, or spread clients over 127.0.0.x addresses.";
  }
  if (/ECONNREFUSED/i.test(said)) {
    return "the server refused connections: nothing listened, or its listen backlog was full (`net.core.somaxconn`).";
  }
  if (first?.class === "handshake_timeout") {
    return "handshakes went unanswered within the timeout: the server did not accept connections as fast as they came.";
  }
  return "the connections cited did not open; the first error says how.";
}

function cite(c: Citation): string {
  const threshold = c.threshold ? `, threshold ${formatThreshold(c.threshold, c.unit)}` : "";
  const context = c.context?.length
    ? ` (${c.context.map((x) => `${x.id.split(".").pop()} ${formatValue(x.value, x.unit)}`).join(", ")})`
    : "";
  return `${c.id} = ${formatValue(c.value, c.unit)} at ${c.level}${threshold}${context}`;
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
      const said = advice.key === "failures" ? failuresAdvice(e) : ZERO_ADVICE[advice.key];
      return `${cite(advice.citation)}${e ? ` (first error: ${e.class}, ${quoted(e)})` : ""}: ${said}`;
    }
    case "compression-off":
      return `permessage-deflate was not negotiated (${cite(advice.citation)}): frames crossed the wire uncompressed. ` +
        "Enable it on the server (and the client), or compress payloads in the application where the server cannot offer it.";
    case "compression-poor":
      return `${cite(advice.citation)}: these payloads compress little, so compression costs CPU for few bytes saved. ` +
        "Compress only above a size threshold, or not at all.";
    case "generator-lag":
      return `${cite(advice.citation)}: the load generator sent its paced requests behind their intended times, and each ` +
        "latency at load includes its request's delay, which is the generator's, not the server's. Give the generator more of " +
        "the machine (fewer other processes, or the server on another host), or pace lower with --rate.";
    case "high-latency":
      return `High latency at load: ${listed(advice.citations.map(cite))}. ` +
        "Where a paced rate is cited, the latency was measured at that load, below the capacity just measured, from each request's " +
        "intended send time: time the server took, not a queue the load generator built (its own lag behind schedule is cited too). " +
        "Profile where the server spends it at that load (node --cpu-prof, or --inspect under Deno and Bun).";
    case "low-throughput":
      return `Low capacity: ${listed(advice.citations.map(cite))}. ` +
        "Each is a closed loop's throughput with the requests in flight cited; Little's law (in flight ÷ throughput) is the time " +
        "each waited. Profile the server at that load to see where its time goes; on one machine it shares the cores with the load generator.";
    case "below-threshold":
      return `Below threshold: ${listed(advice.citations.map(cite))}. ` +
        "❌ needs investigation before production; ⚠️ is acceptable but worth monitoring as traffic grows.";
    case "poor-scalability": {
      const [first] = advice.degradations;
      const from = (
        d: (typeof advice.degradations)[number],
      ): string => (d.bottomLevel === first.bottomLevel ? "" : ` from ${d.bottomLevel}`);
      const fell = (d: (typeof advice.degradations)[number]): string =>
        `${d.suite}.${d.layer}.${d.key} fell ${formatPercent(d.percent)}${from(d)} (${formatNumber(d.bottom)} → ${formatNumber(d.top)})`;
      const list = listed(advice.degradations.map(fell));
      const b = advice.bottleneck;
      const most = b ? ` It fell most in ${b.suite} ${b.layer} (the seed's guide files that under ${b.cause}).` : "";
      return `Poor scalability from ${first.bottomLevel} to ${first.topLevel}: ${list}.${most} ` +
        `Profile the server at ${first.topLevel}'s load and compare it with ${first.bottomLevel}'s, where it did not fall.`;
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
function capacityText({ severity, level, connectionsPerServer, servers, measured }: Extract<Advice, { kind: "capacity" }>): string {
  const connections = formatNumber(level.connections);
  const reached = measured ? ` This server's measured capacity there: ${cite(measured)}.` : "";
  const head = `Highest level run: ${level.name} (${formatNumber(level.operations)} operations, ${connections} connections).${reached}`;
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
