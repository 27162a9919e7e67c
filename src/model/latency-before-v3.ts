/**
 * @module
 * What a latency of a result older than schema 3 means now. Before 3 a suite
 * measured latency in its closed loop only, so its `rtt`, `ack` and broadcast
 * `latency` are the queue that loop built: what schema 3 calls `queued_rtt`,
 * `queued_ack` and `queued_latency`, beside a paced latency at load it did not
 * have. Its permission `deny` and `allow` were two closed-loop latencies that
 * schema 3 keeps as one (`queued_decision`): they have no counterpart.
 *
 * @example
 * ```ts
 * import { latencyKeyNow } from "./latency-before-v3.ts";
 * latencyKeyNow(2, "message", "rtt_p99_ms"); // "queued_rtt_p99_ms"
 * latencyKeyNow(2, "permission", "deny_p99_ms"); // undefined: nothing to compare it with
 * latencyKeyNow(3, "message", "rtt_p99_ms"); // "rtt_p99_ms"
 * ```
 */

const QUEUED_BEFORE_V3: Readonly<Record<string, Readonly<Record<string, string | undefined>>>> = {
  message: { rtt: "queued_rtt" },
  subscription: { ack: "queued_ack" },
  broadcast: { latency: "queued_latency" },
  permission: { deny: undefined, allow: undefined },
};

const LATENCY = /^(\w+?)_(p\d+(?:\.\d+)?|max)_ms$/;

/** The key a wire metric of a result of `schemaVersion` has in schema 3, or undefined when schema 3 has no such measurement. */
export function latencyKeyNow(schemaVersion: number, suite: string, key: string): string | undefined {
  if (schemaVersion >= 3) return key;
  const match = LATENCY.exec(key);
  const renames = QUEUED_BEFORE_V3[suite];
  if (!match || !renames || !(match[1] in renames)) return key;
  const now = renames[match[1]];
  return now === undefined ? undefined : `${now}_${match[2]}_ms`;
}
