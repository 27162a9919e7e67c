/**
 * Small runtime-free pieces the three adapters share, so that they stay the
 * same shape: defaults, the URL they report, the standard `WebSocket` client
 * (Deno and Bun) and the never-throwing failure path of `connect()`.
 */
import type { ClientHandlers, ClientSocket, Memory } from "../model/runtime-contract.ts";

export const DEFAULT_HOST = "127.0.0.1";

/** How long `stop()` waits for clients to answer a close before cutting them off. */
export const CLOSE_GRACE_MS = 1000;

export const wsUrl = (host: string, port: number): string => `ws://${host.includes(":") ? `[${host}]` : host}:${port}/`;

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** A socket that never opened: reports the error and the close asynchronously, as a live one would. */
export function unopened(error: unknown, handlers: ClientHandlers): ClientSocket {
  const err = asError(error);
  queueMicrotask(() => {
    handlers.onError(err);
    handlers.onClose(1006, err.message);
  });
  return { send() {}, close() {}, bufferedAmount: 0, extensions: "", protocol: "" };
}

/** Wires a standard `WebSocket` (Deno's and Bun's global one) to the handlers. */
export function connectStandard(open: () => WebSocket, handlers: ClientHandlers): ClientSocket {
  let ws: WebSocket;
  try {
    ws = open();
  } catch (error) {
    return unopened(error, handlers);
  }
  // a binary frame as an ArrayBuffer, without a Blob round trip; the profile reads its bytes
  ws.binaryType = "arraybuffer";
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (ev: MessageEvent) => handlers.onMessage(typeof ev.data === "string" ? ev.data : new Uint8Array(ev.data as ArrayBuffer));
  ws.onerror = (ev: Event) => handlers.onError(new Error((ev as ErrorEvent).message || "WebSocket error"));
  // Deno reports code 0 for a socket that never connected; 1006 is what the others say
  ws.onclose = (ev: CloseEvent) => handlers.onClose(ev.code || 1006, ev.reason);
  // send() takes the Uint8Array of any frame (the DOM types want one over a plain ArrayBuffer only)
  return ws as unknown as ClientSocket;
}

/** Resolves when every promise has, or after `ms`, whichever is first; leaves no timer behind. */
export function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([Promise.all(promises).then(() => undefined), deadline]).finally(() => clearTimeout(timer));
}

/** Visits the hub's peers for the idle timeout, when one is set; returns what stops it. */
export function startIdleSweep(hub: { sweepIdle(): number }, idleTimeoutMs: number | undefined): () => void {
  if (idleTimeoutMs === undefined) return () => {};
  // a quarter of the timeout: a silent connection goes within 1.25 × the timeout
  const timer = setInterval(() => hub.sweepIdle(), Math.max(10, Math.min(1000, idleTimeoutMs / 4)));
  return () => clearInterval(timer);
}

/** A runtime's memory figures (`process.memoryUsage()`, `Deno.memoryUsage()`) as the contract names them. */
export const memoryOf = (m: { rss: number; heapUsed: number }): Memory => ({ rssBytes: m.rss, heapUsedBytes: m.heapUsed });
