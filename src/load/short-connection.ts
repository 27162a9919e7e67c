/**
 * One short-lived connection that ends with one answer, for what is asked
 * of a server besides the load: its handshake (`run/handshake-probe.ts`) or
 * its own figures (`server-stats.ts`). Never rejects: an error, a close or
 * the timeout settle it with undefined; the socket is closed either way.
 */
import type { ClientSocket, ConnectOptions, Frame, Runtime } from "../model/runtime-contract.ts";

export type Answer<T> = {
  onOpen?(socket: ClientSocket, answer: (value: T | undefined) => void): void;
  onMessage?(data: Frame, answer: (value: T | undefined) => void): void;
};

export function askOnce<T>(
  runtime: Runtime,
  url: string,
  timeoutMs: number,
  options: ConnectOptions,
  on: Answer<T>,
): Promise<T | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    // the handlers run after connect() returns (the runtime contract: never synchronously), so `socket` is set
    const answer = (value: T | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close(1000, "done");
      resolve(value);
    };
    const timer = setTimeout(() => answer(undefined), timeoutMs);
    const socket: ClientSocket = runtime.connect(url, {
      onOpen: () => on.onOpen?.(socket, answer),
      onMessage: (data) => on.onMessage?.(data, answer),
      onError: () => answer(undefined),
      onClose: () => answer(undefined),
    }, options);
  });
}
