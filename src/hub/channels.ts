/**
 * The channel table behind publish fan-out. `Fanout` is the seam through which
 * an adapter can supply its runtime's native pub/sub (Bun topics); the
 * in-memory table is the default.
 *
 * Contract with the hub: the hub owns `peer.channels`. It calls `subscribe`
 * only for a channel the peer is not yet in, `unsubscribe` only for one it is
 * in, and `drop` once when the peer goes away, with `peer.channels` still
 * listing what it was subscribed to.
 *
 * Why not a `Set` of members per channel: a hash table leaves a tombstone
 * where a key was deleted, in that key's bucket chain, until it rehashes, so
 * one peer joining and leaving a channel of n members over and over walks an
 * ever longer chain: measured on Node, Deno and Bun, subscribe + unsubscribe
 * on a channel of 1,547 members ran 20–30× slower than on one of 1 (README,
 * "The engine layer's degradation"). Here a channel's members are an array,
 * and each peer's place in it is kept in a small map of its own, so joining
 * and leaving cost the same whatever the channel's size; a channel left empty
 * keeps its entry (its key is not churned either) until empty ones outnumber
 * the rest, when the table is rebuilt without them.
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

/** empty channels kept before the table is rebuilt without them (and only when they are most of it) */
const EMPTY_KEPT = 1024;

export function createMemoryFanout<P extends Peer = Peer>(): Fanout<P> {
  let table = new Map<string, P[]>();
  /** each peer's place in each channel it is in */
  const places = new WeakMap<P, Map<string, number>>();
  let empty = 0;
  /** the peer being sent to, and removals of other peers asked for meanwhile (they wait for the walk to end) */
  let sending: P | undefined;
  const deferred: Array<[P, string]> = [];

  const placesOf = (peer: P): Map<string, number> => {
    let mine = places.get(peer);
    if (mine === undefined) places.set(peer, (mine = new Map()));
    return mine;
  };

  const remove = (peer: P, ch: string): void => {
    if (sending !== undefined && sending !== peer) return void deferred.push([peer, ch]);
    const mine = places.get(peer);
    const at = mine?.get(ch);
    const members = table.get(ch);
    if (at === undefined || members === undefined) return;
    mine!.delete(ch);
    const last = members.pop()!;
    if (last !== peer) {
      members[at] = last;
      places.get(last)!.set(ch, at);
    }
    if (members.length === 0 && ++empty > EMPTY_KEPT && empty * 2 > table.size) {
      table = new Map([...table].filter(([, m]) => m.length > 0));
      empty = 0;
    }
  };

  return {
    subscribe(peer, ch) {
      let members = table.get(ch);
      if (members === undefined) table.set(ch, (members = []));
      else if (members.length === 0) empty--;
      placesOf(peer).set(ch, members.length);
      members.push(peer);
    },
    unsubscribe: remove,
    publish(ch, text) {
      const members = table.get(ch);
      if (members === undefined) return 0;
      const n = members.length;
      // from the end: a peer cut while it is sent to (a full send buffer) leaves at once, and the one moved into
      // its place was already visited
      for (let i = n - 1; i >= 0; i--) {
        const peer = members[i];
        sending = peer;
        // one dead socket must not cost the others their delivery
        try {
          peer.send(text);
        } catch {
          // the adapter's close event will drop this peer
        }
      }
      sending = undefined;
      while (deferred.length > 0) remove(...deferred.pop()!);
      return n;
    },
    drop(peer) {
      for (const ch of peer.channels) remove(peer, ch);
    },
    channelCount: () => table.size - empty,
  };
}
