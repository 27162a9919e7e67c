/**
 * The runtime matrix's abilities on this machine: each pairing's server is
 * `src/bin/serve.ts` and its client `src/bin/matrix-client.ts`, each started with its own
 * runtime's executable in a process of its own. The server's CPU time is read
 * from `/proc` at the moments the client says its measured levels begin and
 * end, so neither process's start-up nor the warm-up is counted; the client
 * reports its own. Off Linux, where there is no `/proc`, the server's memory
 * is its RSS at the end, asked over the protocol, and its CPU time is unknown.
 */
import type { RuntimeName } from "../model/runtime-contract.ts";
import { askServerStats } from "../load/server-stats.ts";
import type { RuntimeExecutable } from "../model/matrix-document.ts";
import type { MatrixPlatform } from "../run/platform.ts";
import type { ProcessUsage } from "../model/matrix-document.ts";
import { runClientProcess } from "./client-process.ts";
import { currentRuntime } from "./runtime-adapters.ts";
import { resolveRuntimes } from "./executables.ts";
import { type ProcessSample, processUsage } from "./process-usage.ts";
import { startServerProcess } from "./server-process.ts";
import { machine } from "./system-info.ts";

export function matrixPlatform(executables: Partial<Record<RuntimeName, string>> = {}): MatrixPlatform {
  const resolved = new Map<RuntimeName, RuntimeExecutable>();
  const executableOf = (name: RuntimeName): string => {
    const found = resolved.get(name);
    if (!found) throw new Error(`resolve() the ${name} runtime before running a pairing on it`);
    return found.executable;
  };

  return {
    machine,
    async resolve(names) {
      const list = await resolveRuntimes(names, executables);
      for (const r of list) resolved.set(r.name, r);
      return list;
    },
    async runPairing(serverRuntime, clientRuntime, plan, { signal, onEvent }) {
      const server = await startServerProcess(serverRuntime, {
        perMessageDeflate: true,
        timeoutMs: plan.timeoutMs,
        executable: executableOf(serverRuntime),
      });
      let before: ProcessSample | undefined;
      let after: ProcessSample | undefined;
      try {
        const { result, events } = await runClientProcess(clientRuntime, executableOf(clientRuntime), server.url, plan, {
          signal,
          onEvent(event) {
            if (event.event === "measure-start") before = processUsage(server.pid);
            if (event.event === "measure-end") after = processUsage(server.pid);
            onEvent(event);
          },
        });
        const end = events.find((e) => e.event === "measure-end");
        const client: ProcessUsage = end?.event === "measure-end" ? end.usage : {};
        const serverUsage: ProcessUsage = {};
        if (before && after) serverUsage.cpuMs = Math.max(0, after.cpuMs - before.cpuMs);
        const peak = after?.peakRssBytes ?? (await askServerStats(await currentRuntime(), server.url, plan.timeoutMs))?.rssBytes;
        if (peak !== undefined) serverUsage.peakRssBytes = peak;
        return { result, client, server: serverUsage };
      } finally {
        await server.stop();
      }
    },
  };
}
