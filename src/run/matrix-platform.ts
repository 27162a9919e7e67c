/**
 * What the runtime-free matrix needs from the machine: the runtimes'
 * executables and one pairing run, server and client each in a process of
 * its own. `src/host/matrix-pairing.ts` implements it with child
 * processes; tests can pass a fake.
 */
import type { Machine, RuntimeName } from "../model/runtime-contract.ts";
import type { Plan, Result, SuiteName, Verdict } from "../model/result.ts";
import type { Matrix, MatrixPlan, PairingRun, ProcessUsage } from "../model/matrix-document.ts";

export type RuntimeExecutable = { name: RuntimeName; executable: string; version: string };

/** What a client process reports while it runs (JSON lines on its stderr). */
export type ClientEvent =
  | { event: "measure-start" }
  | { event: "suite-end"; level: string; suite: SuiteName; status: string; verdict: Verdict; durationMs: number }
  | { event: "measure-end"; usage: ProcessUsage };

export type PairingOutcome = { result: Result; client: ProcessUsage; server: ProcessUsage };

export type MatrixPlatform = {
  machine(): Machine;
  /** each runtime's executable and version; throws a RangeError naming any it cannot run */
  resolve(runtimes: readonly RuntimeName[]): Promise<RuntimeExecutable[]>;
  /**
   * Starts a `server` reference server, runs `plan` against it from a
   * `client` process, stops the server. Rejects when either side fails.
   */
  runPairing(
    server: RuntimeName,
    client: RuntimeName,
    plan: Plan,
    options: { signal: AbortSignal; onEvent(event: ClientEvent): void },
  ): Promise<PairingOutcome>;
};

export type MatrixProgressEvent =
  | { type: "matrix-start"; matrix: MatrixPlan; runtimes: RuntimeExecutable[] }
  | { type: "pairing-start"; round: number; rounds: number; index: number; total: number; pairing: string }
  | { type: "suite-end"; round: number; pairing: string; level: string; suite: SuiteName; status: string; verdict: Verdict; durationMs: number }
  | { type: "pairing-end"; round: number; pairing: string; run: PairingRun }
  | { type: "matrix-end"; matrix: Matrix };

export type MatrixProgressListener = (event: MatrixProgressEvent) => void;
