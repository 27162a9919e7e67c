/**
 * Runs the runtime matrix: every server × client pairing, interleaved round
 * by round (A B C A B C …) so that a slow minute of a shared machine costs
 * every pairing a little rather than one pairing a lot. Each run starts a
 * fresh server and a fresh client, each in a process of its own. A pairing
 * that fails keeps its error and the matrix goes on; an abort stops at once
 * and keeps every run already finished.
 */
import { VERSION } from "../model/version.ts";
import { compareMetrics } from "../analysis/matrix-metrics.ts";
import { ruleRecord } from "../analysis/noise-rule.ts";
import { DEFAULT_TOLERANCES, type Tolerances } from "../analysis/tolerances.ts";
import type { MatrixProgressListener } from "../model/progress-events.ts";
import type { MatrixPlatform } from "./platform.ts";
import {
  type Matrix,
  MATRIX_SCHEMA_VERSION,
  type MatrixPlan,
  type Pairing,
  type PairingRun,
  parseMatrix,
} from "../model/matrix-document.ts";

export type MatrixRunOptions = {
  platform: MatrixPlatform;
  signal?: AbortSignal;
  onProgress?: MatrixProgressListener;
  /** the smallest lead worth a win, for every metric or by id (default 10 %) */
  tolerances?: Tolerances;
};

export const pairingId = (server: string, client: string): string => `${server}/${client}`;

export async function runMatrix(matrix: MatrixPlan, options: MatrixRunOptions): Promise<Matrix> {
  const { platform } = options;
  const signal = options.signal ?? new AbortController().signal;
  const emit: MatrixProgressListener = options.onProgress ?? (() => {});
  const tolerances = options.tolerances ?? DEFAULT_TOLERANCES;
  if (matrix.plan.target) throw new RangeError("the runtime matrix starts its own servers; drop target()");
  const startedAt = new Date();
  const runtimes = await platform.resolve([...new Set([...matrix.servers, ...matrix.clients])]);
  const pairings: Pairing[] = matrix.servers.flatMap((server) =>
    matrix.clients.map((client) => ({ id: pairingId(server, client), server, client, runs: [] as PairingRun[] }))
  );
  emit({ type: "matrix-start", matrix, runtimes });

  for (let round = 1; round <= matrix.rounds && !signal.aborted; round++) {
    for (const [index, pairing] of pairings.entries()) {
      if (signal.aborted) break;
      emit({ type: "pairing-start", round, rounds: matrix.rounds, index: index + 1, total: pairings.length, pairing: pairing.id });
      const run = await runOne(pairing, round, matrix, platform, signal, emit);
      pairing.runs.push(run);
      emit({ type: "pairing-end", round, pairing: pairing.id, run });
    }
  }

  const finishedAt = new Date();
  const allRan = pairings.every((p) =>
    p.runs.length === matrix.rounds && p.runs.every((r) => r.status === "ok" && r.result?.status === "complete")
  );
  const document = parseMatrix({
    schemaVersion: MATRIX_SCHEMA_VERSION,
    kind: "wsstress-matrix",
    tool: { name: "wsstress", version: VERSION },
    machine: platform.machine(),
    matrix,
    runtimes,
    rule: ruleRecord(tolerances, "no-call"),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    status: signal.aborted ? "aborted" : allRan ? "complete" : "partial",
    pairings,
    metrics: compareMetrics(pairings, tolerances),
  });
  emit({ type: "matrix-end", matrix: document });
  return document;
}

async function runOne(
  pairing: Pairing,
  round: number,
  matrix: MatrixPlan,
  platform: MatrixPlatform,
  signal: AbortSignal,
  emit: MatrixProgressListener,
): Promise<PairingRun> {
  const started = performance.now();
  try {
    const outcome = await platform.runPairing(pairing.server, pairing.client, matrix.plan, {
      signal,
      onEvent(event) {
        if (event.event !== "suite-end") return;
        const { level, suite, status, verdict, durationMs } = event;
        emit({ type: "suite-end", round, pairing: pairing.id, level, suite, status, verdict, durationMs });
      },
    });
    return {
      round,
      status: "ok",
      durationMs: performance.now() - started,
      result: outcome.result,
      client: outcome.client,
      server: outcome.server,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { round, status: "failed", error: message, durationMs: performance.now() - started, client: {}, server: {} };
  }
}
