/**
 * The channel table behind publish fan-out. `Fanout` is the seam through which
 * an adapter can supply its runtime's native pub/sub (Bun topics); the
 * in-memory table is the default.
 *
 * Contract with the hub: the hub owns `peer.channels`. It calls `subscribe`
 * only for a channel the peer is not yet in, `unsubscribe` only for one it is
 * in, and `drop` once when the peer goes away, with `peer.channels` still
 * listing what it was subscribed to.
 */
import type { Peer } from "./peer.ts";

export type Fanout<P extends Peer = Peer> = {
  subscribe(peer: P, ch: string): void;
  unsubscribe(peer: P, ch: string): void;
  /** sends `text` as it is to every subscriber of `ch`; returns how many there were */
  publish(ch: string, text: string): number;
  /** forgets every subscription of a peer that went away */
  drop(peer: P): void;
  /** channels with at least one subscriber */
  channelCount(): number;
};

export function createMemoryFanout<P extends Peer = Peer>(): Fanout<P> {
  const table = new Map<string, Set<P>>();

  const remove = (peer: P, ch: string): void => {
    const subs = table.get(ch);
    if (subs === undefined) return;
    subs.delete(peer);
    if (subs.size === 0) table.delete(ch);
  };

  return {
    subscribe(peer, ch) {
      const subs = table.get(ch);
      if (subs === undefined) table.set(ch, new Set([peer]));
      else subs.add(peer);
    },
    unsubscribe: remove,
    publish(ch, text) {
      const subs = table.get(ch);
      if (subs === undefined) return 0;
      const n = subs.size;
      for (const peer of subs) {
        // one dead socket must not cost the others their delivery
        try {
          peer.send(text);
        } catch {
          // the adapter's close event will drop this peer
        }
      }
      return n;
    },
    drop(peer) {
      for (const ch of peer.channels) remove(peer, ch);
    },
    channelCount: () => table.size,
  };
}
