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
};

let nextId = 1;

/** A fresh guest peer that writes through `send`. */
export function createPeer(send: (text: string) => void): Peer {
  return { id: nextId++, role: "guest", channels: new Set(), open: false, send };
}

/** A socket-free peer that counts what it is sent: for engine benchmarks and tests. */
export type CountingPeer = Peer & { received: number; last: string };

export function createCountingPeer(): CountingPeer {
  const peer: CountingPeer = {
    id: nextId++,
    role: "guest",
    channels: new Set(),
    open: false,
    received: 0,
    last: "",
    send(text) {
      peer.received++;
      peer.last = text;
    },
  };
  return peer;
}
