/**
 * The reference server's logic, free of any runtime: an adapter feeds it
 * socket events (`open`, `message`, `close`) and supplies what only a runtime
 * knows (memory figures, its name, optionally native pub/sub).
 *
 * @example
 * ```ts
 * import { createHub, createCountingPeer } from "./mod.ts";
 * const hub = createHub();
 * const peer = createCountingPeer();
 * hub.open(peer);
 * hub.message(peer, '{"op":"echo","id":1,"p":"hi"}');
 * peer.last; // '{"op":"echo","id":1,"p":"hi"}'
 * ```
 */
import type { Memory } from "../core/runtime.ts";
import { decodeRequest } from "../protocol/codec.ts";
import { DEFAULT_POLICY } from "../protocol/policy.ts";
import { countAck, delivery, echoReply, errorFrame, okAck, refusal, roleAck, statsAck } from "./_frames.ts";
import { createMemoryFanout, type Fanout } from "./channels.ts";
import type { HubOptions } from "./options.ts";
import type { Peer } from "./peer.ts";
import { compilePolicy } from "./rbac.ts";

/** 1 MiB, in UTF-16 code units as `HubOptions.maxFrameBytes` counts them. */
export const DEFAULT_MAX_FRAME = 1 << 20;

/**
 * The byte limit an adapter should give its WebSocket transport: a frame the
 * hub accepts is at most 3 UTF-8 bytes per code unit, so anything the hub
 * would answer with `too_large` rather than refuse outright still gets through.
 */
export const transportLimit = (options?: HubOptions): number =>
  3 * (options?.maxFrameBytes ?? DEFAULT_MAX_FRAME) + 1024;

/** What only the runtime can tell the hub. */
export type HubAbilities<P extends Peer = Peer> = {
  /** reported in `stats` */
  runtime: string;
  memory(): Memory;
  /** native pub/sub; the in-memory channel table when absent */
  fanout?: Fanout<P>;
};

export type Hub<P extends Peer = Peer> = {
  open(peer: P): void;
  /** handles one text frame from `peer`; never throws */
  message(peer: P, text: string): void;
  close(peer: P): void;
  readonly connections: number;
  readonly channels: number;
};

const NO_MEMORY: Memory = { rssBytes: 0, heapUsedBytes: 0 };

/** Writes to a peer whose socket may already be gone: that must not throw out of the hub. */
function send(peer: Peer, text: string): void {
  try {
    peer.send(text);
  } catch {
    // the adapter's close event will follow
  }
}

export function createHub<P extends Peer = Peer>(
  options: HubOptions = {},
  abilities: HubAbilities<P> = { runtime: "engine", memory: () => NO_MEMORY },
): Hub<P> {
  const rbac = compilePolicy(options.policy ?? DEFAULT_POLICY);
  const maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_FRAME;
  const fanout = abilities.fanout ?? createMemoryFanout<P>();
  // a flag and a count rather than a Set: a Set's add/delete churn slows 15× at 1,000 members
  let live = 0;

  return {
    open(peer) {
      if (peer.open) return;
      peer.open = true;
      live++;
    },

    message(peer, text) {
      // checked before parsing: an oversized frame costs no JSON.parse
      if (text.length > maxFrame) {
        return send(peer, errorFrame("too_large", `frame of ${text.length} code units exceeds the limit of ${maxFrame}`));
      }
      const decoded = decodeRequest(text);
      if (!decoded.ok) return send(peer, errorFrame("bad_request", decoded.message, decoded.id));
      const req = decoded.value;
      switch (req.op) {
        case "echo":
          return send(peer, echoReply(req.id, req.p));
        case "auth": {
          const role = rbac.roleFor(req.token);
          if (role === undefined) return send(peer, refusal(req.id, "unauthenticated"));
          peer.role = role;
          return send(peer, roleAck(req.id, role));
        }
        case "sub":
          if (!rbac.decide(peer.role, "sub", req.ch)) return send(peer, refusal(req.id, "forbidden"));
          // a frame that raced the close must not leave a subscription behind
          if (peer.open && !peer.channels.has(req.ch)) {
            peer.channels.add(req.ch);
            fanout.subscribe(peer, req.ch);
          }
          return send(peer, okAck(req.id));
        case "unsub":
          if (!rbac.decide(peer.role, "unsub", req.ch)) return send(peer, refusal(req.id, "forbidden"));
          if (peer.channels.delete(req.ch)) fanout.unsubscribe(peer, req.ch);
          return send(peer, okAck(req.id));
        case "pub": {
          if (!rbac.decide(peer.role, "pub", req.ch)) return send(peer, refusal(req.id, "forbidden"));
          const n = fanout.publish(req.ch, delivery(req.ch, req.seq, req.ts, req.p));
          return send(peer, countAck(req.id, n));
        }
        case "stats": {
          const memory = abilities.memory();
          return send(peer, statsAck(req.id, {
            rssBytes: memory.rssBytes,
            heapUsedBytes: memory.heapUsedBytes,
            connections: live,
            channels: fanout.channelCount(),
            runtime: abilities.runtime,
          }));
        }
      }
    },

    close(peer) {
      if (!peer.open) return;
      peer.open = false;
      live--;
      fanout.drop(peer);
      peer.channels.clear();
    },

    get connections() {
      return live;
    },
    get channels() {
      return fanout.channelCount();
    },
  };
}
