/** The `Platform` of the runtime we run on: its adapter, its machine, its child processes. */
import type { Platform } from "../model/runtime-contract.ts";
import { startCountingProxy } from "./counting-proxy.ts";
import { currentRuntime } from "./runtime-adapters.ts";
import { startServerProcess } from "./server-process.ts";
import { cpuUsage, cpuWaitMicros, machine } from "./system-info.ts";
import { startWorkerProcess } from "./worker-process.ts";

export async function currentPlatform(): Promise<Platform> {
  const runtime = await currentRuntime();
  return {
    runtime,
    machine,
    startServer: (options) => startServerProcess(runtime.name, options),
    startWorker: () => startWorkerProcess(runtime.name),
    countingProxy: startCountingProxy,
    cpuMicros() {
      const { userMicros, systemMicros } = cpuUsage();
      return userMicros + systemMicros;
    },
    cpuWaitMicros,
  };
}
