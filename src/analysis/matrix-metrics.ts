/**
 * Turns the pairings' runs into one comparison per metric: every metric a
 * suite judged (those with a `better` direction) at every level, then the CPU
 * time and peak memory of each side. Plain figures (peak sockets, counts of
 * subscribers) describe the load rather than the runtime, so they are left out.
 * Only suites that finished (`ok`) in runs that were not aborted count: a
 * half-measured figure would not compare fairly with a whole one.
 *
 * An engine row is timed inside the client process, whatever server it
 * loads: it compares client runtimes, never servers, so its cells are the
 * client runtimes, each pooling the rounds of every pairing it ran in.
 */
import { type Better, type CellInput, compareCells } from "./matrix-statistics.ts";
import { toleranceOf, type Tolerances } from "./tolerances.ts";
import type { MetricComparison, Pairing, PairingRun } from "../model/matrix-document.ts";

type Descriptor = Omit<MetricComparison, "leader" | "outcome" | "tiedWith" | "cells">;

type Sample = { descriptor: Descriptor; cell: string; value: number };

const PROCESS_FIGURES: ReadonlyArray<{
  side: "client" | "server";
  key: string;
  label: string;
  unit: string;
  value(run: PairingRun): number | undefined;
}> = [
  { side: "client", key: "cpu_s", label: "client CPU time", unit: "s", value: (r) => seconds(r.client.cpuMs) },
  { side: "server", key: "cpu_s", label: "server CPU time", unit: "s", value: (r) => seconds(r.server.cpuMs) },
  { side: "client", key: "peak_rss", label: "client peak memory (RSS)", unit: "B", value: (r) => r.client.peakRssBytes },
  { side: "server", key: "peak_rss", label: "server peak memory (RSS)", unit: "B", value: (r) => r.server.peakRssBytes },
];

/** The ids a tolerance names the process figures by, e.g. `process.client.cpu_s`. */
export const PROCESS_FIGURE_IDS: readonly string[] = PROCESS_FIGURES.map((f) => `process.${f.side}.${f.key}`);

function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

function* samplesOf(pairing: Pairing, run: PairingRun): Generator<Sample> {
  const result = run.result;
  if (run.status !== "ok" || !result || result.status === "aborted") return;
  for (const level of result.levels) {
    for (const suite of level.suites) {
      if (suite.status !== "ok") continue;
      for (const m of suite.metrics) {
        if (m.better === "none") continue;
        const by = m.layer === "engine" ? "client" : "pairing";
        const descriptor: Descriptor = {
          id: `${level.level.name}.${suite.suite}.${m.layer}.${m.key}`,
          level: level.level.name,
          group: suite.suite,
          layer: m.layer,
          key: m.key,
          label: m.label,
          unit: m.unit,
          better: m.better,
          by,
        };
        yield { descriptor, cell: by === "client" ? pairing.client : pairing.id, value: m.value };
      }
    }
  }
  for (const f of PROCESS_FIGURES) {
    const value = f.value(run);
    if (value === undefined) continue;
    const descriptor: Descriptor = {
      id: `process.${f.side}.${f.key}`,
      group: "process",
      layer: f.side,
      key: f.key,
      label: f.label,
      unit: f.unit,
      better: "lower",
      by: "pairing",
    };
    yield { descriptor, cell: pairing.id, value };
  }
}

/** The tolerance's id of a row: `suite.layer.key`, or `process.side.key`. */
export const toleranceId = (m: Pick<MetricComparison, "group" | "layer" | "key">): string => `${m.group}.${m.layer}.${m.key}`;

/** One comparison per metric, in the order the suites reported them, process figures last. */
export function compareMetrics(pairings: readonly Pairing[], tolerances: Tolerances): MetricComparison[] {
  const byId = new Map<string, { descriptor: Descriptor; samples: Map<string, number[]> }>();
  for (const pairing of pairings) {
    for (const run of pairing.runs) {
      for (const sample of samplesOf(pairing, run)) {
        let entry = byId.get(sample.descriptor.id);
        if (!entry) byId.set(sample.descriptor.id, entry = { descriptor: sample.descriptor, samples: new Map() });
        const list = entry.samples.get(sample.cell) ?? [];
        list.push(sample.value);
        entry.samples.set(sample.cell, list);
      }
    }
  }
  const entries = [...byId.values()];
  const ordered = [...entries.filter((e) => e.descriptor.group !== "process"), ...entries.filter((e) => e.descriptor.group === "process")];
  const clients = [...new Set(pairings.map((p) => p.client))];
  return ordered.map(({ descriptor, samples }) => {
    // cells in the matrix's order (pairings, or client runtimes), whatever order the samples came in
    const order = descriptor.by === "client" ? clients : pairings.map((p) => p.id);
    const inputs: CellInput[] = order.filter((cell) => samples.has(cell)).map((cell) => ({ pairing: cell, samples: samples.get(cell)! }));
    const { percent, gated } = toleranceOf(tolerances, toleranceId(descriptor));
    const faults = descriptor.unit === "" && descriptor.better === "lower";
    return { ...descriptor, ...compareCells(descriptor.better as Better, inputs, { tolerancePercent: percent, gated, faults }) };
  });
}
