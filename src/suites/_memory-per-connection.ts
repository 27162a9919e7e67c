/**
 * Memory per connection, client and server, heap and RSS: read before and
 * after the connections open, each time after a forced garbage collection,
 * and reported only when the connections dominate the growth
 * (`analysis/evidence.ts`: at least 1,000 connections, a growth of at least
 * 2 MiB); otherwise a note says it could not be measured, and why. A
 * negative or tiny figure is the collector's or the allocator's, never shown
 * as a measurement.
 */
import { MEMORY_MIN_CONNECTIONS, MEMORY_MIN_DELTA_BYTES, memoryUnmeasurable } from "../analysis/evidence.ts";
import type { Memory, Runtime } from "../model/runtime-contract.ts";
import type { SuiteRecorder } from "./suite-recorder.ts";

/** A memory reading, and whether a collection ran just before it. */
export type Reading = Memory & { collected: boolean };

/** This process's memory after a forced collection, where the runtime allows one. */
export const readMemory = (runtime: Runtime): Reading => {
  const collected = runtime.collectGarbage();
  return { ...runtime.memory(), collected };
};

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

const WHY = {
  "not collected": "it could not collect its garbage before reading",
  "too few": `it needs ${MEMORY_MIN_CONNECTIONS.toLocaleString("en-US")} connections`,
  "too small": `the growth must be at least ${mib(MEMORY_MIN_DELTA_BYTES)}, four times a reading's noise`,
} as const;

/**
 * Records `side`'s RSS and heap per connection (`<side>_bytes_per_conn`, `<side>_heap_per_conn`) where
 * measurable, and a note for what was not.
 */
export function recordMemory(record: SuiteRecorder, side: "client" | "server", before: Reading, after: Reading, added: number): void {
  const unmeasured: string[] = [];
  const kinds = [["RSS", "bytes_per_conn", after.rssBytes - before.rssBytes], [
    "heap",
    "heap_per_conn",
    after.heapUsedBytes - before.heapUsedBytes,
  ]] as const;
  for (const [name, key, delta] of kinds) {
    const why = memoryUnmeasurable(delta, added, before.collected && after.collected);
    if (why === undefined) record.ratio("wire", `${side}_${key}`, delta, added);
    else unmeasured.push(`${name} grew ${mib(delta)} over ${added.toLocaleString("en-US")} connections, and ${WHY[why]}`);
  }
  if (unmeasured.length > 0) record.note(`${side} memory per connection not measurable: ${unmeasured.join("; ")}`);
}
