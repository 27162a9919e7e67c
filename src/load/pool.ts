/**
 * A pool of client connections: opened with a bounded number of handshakes in
 * flight, each handshake and each protocol setup timed (`load-connection.ts`),
 * every failure counted, and closed again with a bounded wait. Suites route
 * replies by setting `onReply` on a connection.
 */
import type { ConnectOptions, Runtime } from "../model/runtime-contract.ts";
import { Histogram } from "../model/histogram.ts";
import type { Profile } from "../profiles/profile.ts";
import { withQuery } from "../profiles/connection-settings.ts";
import { wsstressProfile } from "../profiles/wsstress.ts";
import { epochMs } from "./clock.ts";
import { ErrorTally } from "./error-tally.ts";
import { type ConnectionDeps, type LoadConnection, openConnection } from "./load-connection.ts";

export type { LoadConnection };

export type PoolOptions = ConnectOptions & {
  /** the index of the first connection: a share of a level keeps the level's global indices */
  first?: number;
  /** handshakes in flight at once */
  concurrency: number;
  /** bounds each handshake, and each setup apart */
  timeoutMs: number;
  signal?: AbortSignal;
  /** errors seen after the handshake (resets, bad frames) land here too */
  errors?: ErrorTally;
  /** how the connections speak (their sessions' setup, frames and replies); the reference protocol when absent */
  profile?: Profile;
  /** query parameters added to every URL */
  query?: Readonly<Record<string, string>>;
  /** the handshake payload of protocols that carry one */
  auth?: Readonly<Record<string, string>>;
  /** the token connection `index` authenticates with in its setup; none when absent or undefined */
  tokenOf?: (index: number) => string | undefined;
  /** called once as the pool starts opening, with readers of its counts: for progress, read on a timer, never per frame */
  watch?: (opened: () => number, open: () => number, handshakes: Histogram) => void;
};

export type Pool = {
  /** the connections that opened (and finished their setup), by index */
  connections: LoadConnection[];
  /** the upgrade alone */
  handshakes: Histogram;
  /** from the upgrade to the connection counting as open: the profile's setup and an authentication; empty when there was none */
  setups: Histogram;
  errors: ErrorTally;
  /** most connections open at the same moment */
  peakOpen: number;
  /** first connect call to last connection settled, on the wall clock (epoch ms) */
  startedMs: number;
  endedMs: number;
  close(timeoutMs: number): Promise<void>;
};

/** What every connection a pool or a virtual users' connector opens shares: the runtime, the profile, the socket's options, the counts. */
export type ConnectionBase = Omit<ConnectionDeps, "onLive" | "onDown" | "onClosed">;

export function connectionBase(runtime: Runtime, options: PoolOptions): ConnectionBase {
  const { perMessageDeflate, headers, protocols, ca } = options;
  return {
    runtime,
    profile: options.profile ?? wsstressProfile,
    connectOptions: { perMessageDeflate, headers, protocols, ca },
    timeoutMs: options.timeoutMs,
    errors: options.errors ?? new ErrorTally(),
    handshakes: new Histogram(),
    setups: new Histogram(),
    ...(options.auth ? { auth: options.auth } : {}),
  };
}

/** Opens `count` connections; connection `i` goes to `urlFor(i)` (or to the one URL given). */
export async function openPool(
  runtime: Runtime,
  url: string | ((index: number) => string),
  count: number,
  options: PoolOptions,
): Promise<Pool> {
  const first = options.first ?? 0;
  const { query } = options;
  const withQueries = new Map<string, string>();
  const urlOf = (u: string): string => withQueries.get(u) ?? withQueries.set(u, withQuery(u, query)).get(u)!;
  const urlFor = typeof url === "string" ? () => urlOf(url) : (i: number) => urlOf(url(i));
  const base = connectionBase(runtime, options);
  const { errors, handshakes, setups } = base;
  const connections: LoadConnection[] = [];
  const closers: Array<Promise<void>> = [];
  let liveNow = 0;
  /** set by close(): from then on a socket closing is expected, not a lost connection */
  let closing = false;
  let peakOpen = 0;
  let next = 0;
  const startedMs = epochMs();
  const deps: Omit<ConnectionDeps, "onClosed"> = {
    ...base,
    onLive(conn: LoadConnection) {
      if (++liveNow > peakOpen) peakOpen = liveNow;
      connections.push(conn);
    },
    onDown() {
      liveNow--;
      return closing;
    },
  };
  options.watch?.(() => connections.length, () => liveNow, handshakes);

  const openOne = (index: number): Promise<void> => {
    let markClosed = (): void => {};
    closers.push(new Promise<void>((resolve) => (markClosed = resolve)));
    return openConnection(urlFor(index), index, options.tokenOf?.(index), { ...deps, onClosed: () => markClosed() });
  };
  const worker = async (): Promise<void> => {
    while (next < count && !options.signal?.aborted) await openOne(first + next++);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, worker));
  const endedMs = epochMs();

  return {
    connections: connections.sort((a, b) => a.index - b.index),
    handshakes,
    setups,
    errors,
    peakOpen,
    startedMs,
    endedMs,
    async close(timeoutMs: number) {
      closing = true;
      for (const c of connections) if (c.open) c.socket.close(1000, "done");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(closers), timeout]);
      clearTimeout(timer);
      const stillOpen = connections.filter((c) => c.open).length;
      if (stillOpen > 0) errors.add("close_timeout", `${stillOpen} sockets not closed within ${timeoutMs} ms`, stillOpen);
      // a server that never answers the close must not keep our sockets (and the process) alive
      for (const c of connections) if (c.open) c.socket.terminate?.();
    },
  };
}
