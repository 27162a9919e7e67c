/**
 * A pool of client connections: opened with a bounded number of handshakes in
 * flight, each handshake timed, every failure counted, and closed again with a
 * bounded wait. Suites route replies by setting `onReply` on a connection.
 */
import type { ClientSocket, ConnectOptions, Runtime } from "../model/runtime-contract.ts";
import { Histogram } from "../model/histogram.ts";
import { decodeReply } from "../protocol/codec.ts";
import type { Reply } from "../protocol/messages.ts";
import { epochMs, msToNs, now } from "./clock.ts";
import { ErrorTally } from "./error-tally.ts";
import type { FaultClass } from "../model/faults.ts";

export type LoadConnection = {
  readonly index: number;
  readonly socket: ClientSocket;
  /** set by the suite running on this connection; `at` is `now()` on arrival */
  onReply: (reply: Reply, at: number) => void;
  /** set by a driver that must not wait for replies a closed connection can no longer bring */
  onGone: () => void;
  open: boolean;
};

export type PoolOptions = ConnectOptions & {
  /** the index of the first connection: a share of a level keeps the level's global indices */
  first?: number;
  /** handshakes in flight at once */
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** errors seen after the handshake (resets, bad frames) land here too */
  errors?: ErrorTally;
  /** reads a server frame as a reference reply (the protocol profile's); the reference codec when absent */
  decode?: (frame: string) => Reply | undefined;
  /** called once as the pool starts opening, with readers of its counts: for progress, read on a timer, never per frame */
  watch?: (opened: () => number, open: () => number, handshakes: Histogram) => void;
};

export type Pool = {
  connections: LoadConnection[];
  handshakes: Histogram;
  errors: ErrorTally;
  /** most sockets open at the same moment */
  peakOpen: number;
  /** first connect call to last handshake settled, on the wall clock (epoch ms) */
  startedMs: number;
  endedMs: number;
  close(timeoutMs: number): Promise<void>;
};

const ignore = (): void => {};

/** Opens `count` connections; connection `i` goes to `urlFor(i)` (or to the one URL given). */
export async function openPool(runtime: Runtime, url: string | ((index: number) => string), count: number, options: PoolOptions): Promise<Pool> {
  const urlFor = typeof url === "string" ? () => url : url;
  const first = options.first ?? 0;
  const decode = options.decode ?? decodeReply;
  const { perMessageDeflate, headers, protocols, ca } = options;
  const connectOptions = { perMessageDeflate, headers, protocols, ca };
  const errors = options.errors ?? new ErrorTally();
  const handshakes = new Histogram();
  const connections: LoadConnection[] = [];
  const closers: Array<Promise<void>> = [];
  let liveNow = 0;
  /** set by close(): from then on a socket closing is expected, not a lost connection */
  let closing = false;
  let peakOpen = 0;
  let next = 0;
  const startedMs = epochMs();
  options.watch?.(() => connections.length, () => liveNow, handshakes);

  const openOne = (index: number): Promise<void> =>
    new Promise<void>((settled) => {
      let done = false;
      let markClosed = ignore;
      closers.push(new Promise<void>((resolve) => (markClosed = resolve)));
      const t0 = now();
      const timer = setTimeout(() => finish("handshake_timeout", `no handshake within ${options.timeoutMs} ms`), options.timeoutMs);
      const finish = (errorClass?: FaultClass, message?: string): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (errorClass) {
          errors.add(errorClass, message ?? errorClass);
          conn.socket.close();
        }
        settled();
      };
      const conn: LoadConnection = {
        index,
        open: false,
        onReply: ignore,
        onGone: ignore,
        socket: runtime.connect(
          urlFor(index),
          {
            onOpen() {
              conn.open = true;
              handshakes.record(msToNs(now() - t0));
              if (++liveNow > peakOpen) peakOpen = liveNow;
              connections.push(conn);
              finish();
            },
            onMessage(data) {
              const reply = decode(data);
              if (!reply) return errors.add("bad_frame", `undecodable frame from server: ${data.slice(0, 80)}`);
              // a reply a suite cannot use (garbage from a broken server) is counted, never thrown into the socket's event loop
              try {
                conn.onReply(reply, now());
              } catch (error) {
                errors.add("bad_reply", `unusable reply ${data.slice(0, 80)}: ${(error as Error).message}`);
              }
            },
            onError(error) {
              if (!done) finish("connect_failed", error.message || "connection failed");
              else if (conn.open) errors.add("socket_error", error.message || "socket error");
            },
            onClose(code, reason) {
              if (!done) finish("connect_failed", `closed during handshake (${code}${reason ? ` ${reason}` : ""})`);
              if (conn.open) {
                conn.open = false;
                liveNow--;
                if (!closing) errors.add("connection_lost", `the server closed a live connection (${code}${reason ? ` ${reason}` : ""})`);
                conn.onGone();
              }
              markClosed();
            },
          },
          connectOptions,
        ),
      };
    });

  const worker = async (): Promise<void> => {
    while (next < count && !options.signal?.aborted) await openOne(first + next++);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, worker));
  const endedMs = epochMs();

  return {
    connections: connections.sort((a, b) => a.index - b.index),
    handshakes,
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
