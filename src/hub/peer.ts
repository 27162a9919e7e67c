/**
 * A connection as the hub sees it. The adapter creates one per socket with a
 * `send` bound to that socket and may extend it with its native handle (the
 * Bun adapter keeps its `ServerWebSocket` there for native topics).
 */
import type { Role } from "../protocol/policy.ts";

export type Peer = {
  readonly id: number;
  /** starts as `guest`; `auth` with a known token changes it */
  role: Role;
  /** channels this peer is subscribed to; the hub keeps it current */
  readonly channels: Set<string>;
  /** between the hub's open() and close(); the hub keeps it current */
  open: boolean;
  /** hands one text frame to the socket; the hub guards against it throwing */
  send(text: string): void;
  /** closes the socket (the hub calls it for an idle or slow connection, then forgets the peer) */
  close(code: number, reason: string): void;
  /** hub bookkeeping, kept current only when the limit it serves is on: last frame (idle timeout), token bucket (rate limit) */
  lastSeen: number;
  tokens: number;
  refilledAt: number;
};

let nextId = 1;

const noClose = (): void => {};

/** A fresh guest peer that writes through `send` and is closed through `close`. */
export function createPeer(send: (text: string) => void, close: (code: number, reason: string) => void = noClose): Peer {
  return { id: nextId++, role: "guest", channels: new Set(), open: false, send, close, lastSeen: 0, tokens: 0, refilledAt: 0 };
}

/** A socket-free peer that counts what it is sent: for engine benchmarks and tests. */
export type CountingPeer = Peer & { received: number; last: string; closedWith?: { code: number; reason: string } };

export function createCountingPeer(): CountingPeer {
  const peer: CountingPeer = {
    id: nextId++,
    role: "guest",
    channels: new Set(),
    open: false,
    received: 0,
    last: "",
    lastSeen: 0,
    tokens: 0,
    refilledAt: 0,
    send(text) {
      peer.received++;
      peer.last = text;
    },
    close(code, reason) {
      peer.closedWith = { code, reason };
    },
  };
  return peer;
}
