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
 * Why not a `Set` of members per channel: deleting a key from a hash table
 * leaves a dead entry until the table is rebuilt, so one peer joining and
 * leaving a channel of n members over and over makes the table rebuild its
 * n entries again and again: measured in a clean process on Node,
 * subscribe + unsubscribe on a channel of 1,547 members (99,000 connections
 * over 64 channels) ran about 60× slower than on one of 16
 * (docs/honest-numbers.md, "The engine layer"). Here no hash table has a
 * key deleted on the hot path: a channel's members are an array, each peer's
 * place in it is kept in a small map of the peer's own, and leaving marks
 * that place -1 rather than deleting it (a peer's left places are dropped
 * once they outnumber the rest); a channel left empty keeps its entry until
 * empty ones outnumber the rest. Joining and leaving then cost the same
 * whatever the channel's size.
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
/** a peer's places in channels it left, kept before its map is rebuilt without them (and only when they are most of it) */
const LEFT_KEPT = 64;
/** a place in a channel the peer left: kept, not deleted, so the map is not rebuilt on every leave */
const LEFT = -1;

/** one peer's place in each channel it is in, or LEFT */
type Places = { at: Map<string, number>; left: number };

export function createMemoryFanout<P extends Peer = Peer>(): Fanout<P> {
  let table = new Map<string, P[]>();
  const places = new WeakMap<P, Places>();
  let empty = 0;
  /** the peer being sent to, and removals of other peers asked for meanwhile (they wait for the walk to end) */
  let sending: P | undefined;
  const deferred: Array<[P, string]> = [];

  const placesOf = (peer: P): Places => {
    let mine = places.get(peer);
    if (mine === undefined) places.set(peer, mine = { at: new Map(), left: 0 });
    return mine;
  };

  const remove = (peer: P, ch: string): void => {
    if (sending !== undefined && sending !== peer) return void deferred.push([peer, ch]);
    const mine = places.get(peer);
    const at = mine?.at.get(ch);
    const members = table.get(ch);
    if (mine === undefined || at === undefined || at === LEFT || members === undefined) return;
    mine.at.set(ch, LEFT);
    if (++mine.left > LEFT_KEPT && mine.left * 2 > mine.at.size) {
      mine.at = new Map([...mine.at].filter(([, i]) => i !== LEFT));
      mine.left = 0;
    }
    const last = members.pop()!;
    if (last !== peer) {
      members[at] = last;
      places.get(last)!.at.set(ch, at);
    }
    if (members.length === 0 && ++empty > EMPTY_KEPT && empty * 2 > table.size) {
      table = new Map([...table].filter(([, m]) => m.length > 0));
      empty = 0;
    }
  };

  return {
    subscribe(peer, ch) {
      let members = table.get(ch);
      if (members === undefined) table.set(ch, members = []);
      else if (members.length === 0) empty--;
      const mine = placesOf(peer);
      if (mine.at.get(ch) === LEFT) mine.left--;
      mine.at.set(ch, members.length);
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
