/**
 * Connections opened one at a time, as virtual users arrive (the open model)
 * or join (ramping VUs), rather than as one pool up front: each goes through
 * the same handshake, setup and fault counting as a pool's
 * (`load-connection.ts`), and is closed when its virtual user is done.
 */
import type { Runtime } from "../model/runtime-contract.ts";
import type { Histogram } from "../model/histogram.ts";
import { withQuery } from "../profiles/connection-settings.ts";
import { type LoadConnection, openConnection } from "./load-connection.ts";
import { connectionBase, type PoolOptions } from "./pool.ts";
import type { ErrorTally } from "./error-tally.ts";

export type VuConnector = {
  /** opens connection `index`; undefined when it failed (counted in the errors) */
  open(index: number): Promise<LoadConnection | undefined>;
  /** closes a virtual user's connection: from now on its close is expected */
  close(conn: LoadConnection): void;
  /** waits (bounded) for every socket to be closed, and cuts what is left */
  settle(timeoutMs: number): Promise<void>;
  readonly errors: ErrorTally;
  readonly handshakes: Histogram;
  readonly setups: Histogram;
};

export function vuConnector(runtime: Runtime, urlFor: (index: number) => string, options: PoolOptions): VuConnector {
  const base = connectionBase(runtime, options);
  const { errors, handshakes, setups } = base;
  /** connections whose close we asked for: their going away is no loss */
  const closing = new WeakSet<LoadConnection>();
  const alive = new Set<LoadConnection>();
  const closed = new Set<Promise<void>>();
  let opened = 0;
  options.watch?.(() => opened, () => alive.size, handshakes);

  return {
    errors,
    handshakes,
    setups,
    open(index) {
      let live: LoadConnection | undefined;
      let markClosed = (): void => {};
      const done = new Promise<void>((resolve) => (markClosed = resolve));
      closed.add(done);
      void done.then(() => closed.delete(done));
      return openConnection(withQuery(urlFor(index), options.query), index, options.tokenOf?.(index), {
        ...base,
        onLive(conn) {
          live = conn;
          opened++;
          alive.add(conn);
        },
        onDown(conn) {
          alive.delete(conn);
          return closing.has(conn);
        },
        onClosed: () => markClosed(),
      }).then(() => live);
    },
    close(conn) {
      closing.add(conn);
      if (conn.open) conn.socket.close(1000, "done");
    },
    async settle(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(closed), timeout]);
      clearTimeout(timer);
      if (alive.size > 0) errors.add("close_timeout", `${alive.size} sockets not closed within ${timeoutMs} ms`, alive.size);
      for (const conn of alive) conn.socket.terminate?.();
    },
  };
}
