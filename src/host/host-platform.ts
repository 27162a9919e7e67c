/** The `Platform` of the runtime we run on: its adapter, its machine, its child processes, profile modules from its files. */
import type { HostAbilities, Platform } from "../run/platform.ts";
import { startCountingProxy } from "./counting-proxy.ts";
import { matrixPlatform } from "./matrix-pairing.ts";
import { currentRuntime } from "./runtime-adapters.ts";
import { startServerProcess } from "./server-process.ts";
import { loadProfile } from "./profile-loader.ts";
import { cpuUsage, cpuWaitMicros, machine } from "./system-info.ts";
import { startWorkerProcess } from "./worker-process.ts";
import { serveHttp } from "./http-server.ts";

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
    loadProfile,
    serveHttp,
  };
}

/** This machine's abilities, as the entries hand them to `stressOn()`: the current runtime's platform, and the runtime matrix's. */
export const THIS_MACHINE: HostAbilities = {
  platform: currentPlatform,
  matrixPlatform: async (executables) => matrixPlatform(executables),
};
