/**
 * The abilities a run needs from the machine it runs on, handed down by the
 * entry points (`src/index.ts`, `src/bin/*`), never fetched from below:
 * `src/host/host-platform.ts` and `src/host/matrix-pairing.ts` build them from
 * the current runtime's adapter and child processes; tests may pass others.
 */
import type { ProcessUsage, RuntimeExecutable } from "../model/matrix-document.ts";
import type { ClientEvent } from "../model/progress-events.ts";
import type { Plan, Result } from "../model/result.ts";
import type {
  CountingProxy,
  HttpHandler,
  HttpServer,
  Machine,
  Runtime,
  RuntimeName,
  ServerProcess,
  WorkerHandle,
} from "../model/runtime-contract.ts";
import type { Profile } from "../profiles/profile.ts";
import type { Scenario } from "../suites/scenario-definition.ts";

/** Everything one run needs from the runtime it runs on. */
export type Platform = {
  runtime: Runtime;
  machine(): Machine;
  /** starts the reference server in its own process, so it never shares an event loop with the load */
  startServer(options: { perMessageDeflate: boolean; timeoutMs: number; host?: string }): Promise<ServerProcess>;
  /** starts a load-generator worker process on the same runtime */
  startWorker(): Promise<WorkerHandle>;
  countingProxy(target: string): Promise<CountingProxy>;
  /** CPU time this process has used, user + system, in µs */
  cpuMicros(): number;
  /**
   * time the process's main thread has spent ready to run but waiting for a core, in µs; undefined where the OS does not
   * tell (Linux does)
   */
  cpuWaitMicros?(): number | undefined;
  /** the profile a built-in name or a module path (against the working directory) names; a RangeError when there is none */
  loadProfile(spec: string): Promise<Profile>;
  /** the scenario a module path (against the working directory) or URL exports; a RangeError when it cannot be loaded or is none */
  loadScenario(spec: string): Promise<Scenario<unknown>>;
  /** serves HTTP on `host:port` (0: any free port) for the live dashboard; a RangeError when the port is taken */
  serveHttp?(options: { host: string; port: number }, handler: HttpHandler): Promise<HttpServer>;
};

export type PairingOutcome = { result: Result; client: ProcessUsage; server: ProcessUsage };

/** What the runtime matrix needs from the machine: the runtimes' executables and one pairing run, each side in a process of its own. */
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

/** What an entry hands `stress()`: this machine's platforms, built when a run starts (so loading the SDK loads no runtime module). */
export type HostAbilities = {
  platform(): Promise<Platform>;
  matrixPlatform(executables: Readonly<Partial<Record<RuntimeName, string>>>): Promise<MatrixPlatform>;
};
