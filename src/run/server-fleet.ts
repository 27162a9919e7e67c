/**
 * The reference servers of a run. One process holds at most ~20,000 open
 * files, so a level with more connections than one server can hold gets
 * several server processes, each on its own loopback address (127.0.0.1,
 * 127.0.0.2, …): that also gives every destination its own ephemeral port
 * range. Connections are spread over the servers a level needs.
 */
import type { ServerStats } from "../protocol/messages.ts";
import type { Level } from "../model/levels.ts";
import type { ConnectOptions, Runtime, ServerProcess } from "../model/runtime-contract.ts";
import type { Platform } from "./platform.ts";
import { askServerStats } from "../load/server-stats.ts";
import { CONNECTIONS_PER_PROCESS, processesFor } from "../load/placement.ts";

/** The server processes `connections` need: as many as hold them at `perProcess` each. */
export const serversFor = (connections: number, perProcess = CONNECTIONS_PER_PROCESS): number => processesFor(connections, perProcess);

export type Fleet = {
  servers: ServerProcess[];
  /** the URLs a level's connections are spread over */
  urlsFor(level: Level): string[];
  /** the figures of a level's servers, summed, not counting the connections that asked; undefined when any does not answer */
  stats(level: Level): Promise<ServerStats | undefined>;
  stop(): Promise<void>;
};

export async function startFleet(
  platform: Platform,
  count: number,
  timeoutMs: number,
  perProcess = CONNECTIONS_PER_PROCESS,
): Promise<Fleet> {
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      servers.push(await platform.startServer({ perMessageDeflate: true, timeoutMs, host: `127.0.0.${i + 1}` }));
    }
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  return fleetOf(servers, platform.runtime, timeoutMs, perProcess);
}

/** `connect`: the handshake settings a `stats` connection needs to be let in (a target's headers, CA). */
export function fleetOf(
  servers: ServerProcess[],
  runtime: Runtime,
  timeoutMs: number,
  perProcess = CONNECTIONS_PER_PROCESS,
  connect: ConnectOptions = {},
): Fleet {
  const used = (level: Level): ServerProcess[] => servers.slice(0, Math.min(servers.length, serversFor(level.connections, perProcess)));
  return {
    servers,
    urlsFor: (level) => used(level).map((s) => s.url),
    async stats(level) {
      const all = await Promise.all(used(level).map((s) => askServerStats(runtime, s.url, timeoutMs, connect)));
      if (all.some((s) => s === undefined)) return undefined;
      // each server counted the connection that asked it
      for (const s of all as ServerStats[]) s.connections -= 1;
      return (all as ServerStats[]).reduce((sum, s) => ({
        rssBytes: sum.rssBytes + s.rssBytes,
        heapUsedBytes: sum.heapUsedBytes + s.heapUsedBytes,
        connections: sum.connections + s.connections,
        channels: sum.channels + s.channels,
        runtime: s.runtime,
      }));
    },
    stop: async () => void (await Promise.all(servers.map((s) => s.stop()))),
  };
}
