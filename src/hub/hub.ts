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
import type { Memory } from "../model/runtime-contract.ts";
import { decodeRequest } from "../protocol/codec.ts";
import type { LimitCounts } from "../protocol/messages.ts";
import { DEFAULT_POLICY, type Role } from "../protocol/policy.ts";
import { countAck, delivery, echoReply, errorFrame, okAck, refusal, roleAck, statsAck } from "./_frames.ts";
import { createMemoryFanout, type Fanout } from "./channels.ts";
import { HUB_DEFAULTS, type HubOptions, parseHubOptions } from "../model/hub-options.ts";
import type { Peer } from "./peer.ts";
import { compilePolicy } from "./rbac.ts";

/** 1 MiB, in UTF-16 code units as `HubOptions.maxFrameBytes` counts them. */
export const DEFAULT_MAX_FRAME = HUB_DEFAULTS.maxFrameBytes;

/** Close codes the hub asks for: an idle connection goes away; a slow one is told to try again later. */
export const IDLE_CLOSE = { code: 1001, reason: "idle timeout" } as const;
export const SLOW_CLOSE = { code: 1013, reason: "send buffer full: the client does not read" } as const;

/**
 * The byte limit an adapter should give its WebSocket transport: a frame the
 * hub accepts is at most 3 UTF-8 bytes per code unit, so anything the hub
 * would answer with `too_large` rather than refuse outright still gets through.
 */
export const transportLimit = (options?: HubOptions): number => 3 * (options?.maxFrameBytes ?? DEFAULT_MAX_FRAME) + 1024;

/** What only the runtime can tell the hub. */
export type HubAbilities<P extends Peer = Peer> = {
  /** reported in `stats` */
  runtime: string;
  memory(): Memory;
  /** native pub/sub; the in-memory channel table when absent */
  fanout?: Fanout<P>;
  /** a monotonic clock in ms, for the rate limit and the idle timeout; `performance.now()` when absent */
  now?: () => number;
};

export type Hub<P extends Peer = Peer> = {
  open(peer: P): void;
  /** handles one text frame from `peer`; never throws */
  message(peer: P, text: string): void;
  close(peer: P): void;
  /** closes every connection silent for longer than `idleTimeoutMs` (adapters call it on a timer); returns how many */
  sweepIdle(): number;
  /** the adapter found more than `maxBufferedBytes` waiting for `peer`: close it and count it, rather than queue more */
  overflow(peer: P): void;
  readonly connections: number;
  readonly channels: number;
  /** what was refused or cut off so far, by limit (a copy) */
  readonly limits: LimitCounts;
};

const NO_MEMORY: Memory = { rssBytes: 0, heapUsedBytes: 0 };
const performanceNow = (): number => performance.now();

/** The id of a frame that will not be served, so the client can still match the refusal to its request. */
function idOf(text: string, maxFrame: number): number | undefined {
  if (text.length > maxFrame) return undefined;
  const decoded = decodeRequest(text);
  return decoded.ok ? decoded.value.id : decoded.id;
}

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
  parseHubOptions(options);
  const rbac = compilePolicy(options.policy ?? DEFAULT_POLICY);
  const maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_FRAME;
  const maxChannels = options.maxChannelsPerPeer ?? HUB_DEFAULTS.maxChannelsPerPeer;
  const maxChannelLength = options.maxChannelLength ?? HUB_DEFAULTS.maxChannelLength;
  const requireAuth = options.requireAuth ?? false;
  const rate = options.rateLimit;
  const perMs = rate ? rate.perSecond / 1000 : 0;
  const idleMs = options.idleTimeoutMs;
  const now = abilities.now ?? performanceNow;
  const fanout = abilities.fanout ?? createMemoryFanout<P>();
  const counts: LimitCounts = { tooLarge: 0, badRequest: 0, rateLimited: 0, idleClosed: 0, slowClosed: 0 };
  // a flag and a count rather than a Set: a Set's add/delete churn slows 15× at 1,000 members;
  // the Set exists only when the idle timeout needs to visit every peer
  let live = 0;
  const tracked = idleMs === undefined ? undefined : new Set<P>();

  /** one token from the peer's bucket, refilled for the time since the last frame */
  const takeToken = (peer: P): boolean => {
    const t = now();
    const tokens = Math.min(rate!.burst, peer.tokens + (t - peer.refilledAt) * perMs);
    peer.refilledAt = t;
    peer.tokens = tokens >= 1 ? tokens - 1 : tokens;
    return tokens >= 1;
  };

  /** a channel name over the limit, as the reply to send, or undefined */
  const tooLong = (id: number, ch: string, op: "sub" | "unsub" | "pub"): string | undefined => {
    if (ch.length <= maxChannelLength) return undefined;
    counts.badRequest++;
    return errorFrame("bad_request", `${op}.ch is ${ch.length} code units long; the limit is ${maxChannelLength}`, id);
  };
  const authenticated = (role: Role): boolean => !requireAuth || role !== "guest";

  /** why a sub or pub may not go ahead, as the reply to send, or undefined; unsub is never refused (see OPEN_ACTIONS) */
  const channelGate = (peer: P, id: number, ch: string, op: "sub" | "pub"): string | undefined => {
    if (!authenticated(peer.role)) return refusal(id, "unauthenticated");
    return tooLong(id, ch, op) ?? (rbac.decide(peer.role, op, ch) ? undefined : refusal(id, "forbidden"));
  };

  /** gives the peer its new role and takes away every channel that role may not subscribe to; returns those */
  const changeRole = (peer: P, role: Role): string[] => {
    peer.role = role;
    const dropped: string[] = [];
    if (peer.channels.size === 0) return dropped;
    const mayHold = authenticated(role);
    for (const ch of peer.channels) if (!mayHold || !rbac.decide(role, "sub", ch)) dropped.push(ch);
    for (const ch of dropped) {
      peer.channels.delete(ch);
      fanout.unsubscribe(peer, ch);
    }
    return dropped;
  };

  const hub: Hub<P> = {
    open(peer) {
      if (peer.open) return;
      peer.open = true;
      live++;
      if (rate !== undefined) {
        peer.tokens = rate.burst;
        peer.refilledAt = now();
      }
      if (tracked !== undefined) {
        peer.lastSeen = now();
        tracked.add(peer);
      }
    },

    message(peer, text) {
      if (tracked !== undefined) peer.lastSeen = now();
      if (rate !== undefined && !takeToken(peer)) {
        counts.rateLimited++;
        return send(peer, errorFrame("rate_limited", `over ${rate.perSecond} frames/s (burst ${rate.burst})`, idOf(text, maxFrame)));
      }
      // checked before parsing: an oversized frame costs no JSON.parse
      if (text.length > maxFrame) {
        counts.tooLarge++;
        return send(peer, errorFrame("too_large", `frame of ${text.length} code units exceeds the limit of ${maxFrame}`));
      }
      const decoded = decodeRequest(text);
      if (!decoded.ok) {
        counts.badRequest++;
        return send(peer, errorFrame("bad_request", decoded.message, decoded.id));
      }
      const req = decoded.value;
      let refused: string | undefined;
      switch (req.op) {
        case "echo":
          return send(peer, echoReply(req.id, req.p));
        case "auth": {
          const role = rbac.roleFor(req.token);
          if (role === undefined) return send(peer, refusal(req.id, "unauthenticated"));
          return send(peer, roleAck(req.id, role, changeRole(peer, role)));
        }
        case "sub":
          if ((refused = channelGate(peer, req.id, req.ch, "sub")) !== undefined) return send(peer, refused);
          // a frame that raced the close must not leave a subscription behind
          if (peer.open && !peer.channels.has(req.ch)) {
            if (peer.channels.size >= maxChannels) return send(peer, refusal(req.id, "too_many_channels"));
            peer.channels.add(req.ch);
            fanout.subscribe(peer, req.ch);
          }
          return send(peer, okAck(req.id));
        case "unsub":
          if ((refused = tooLong(req.id, req.ch, "unsub")) !== undefined) return send(peer, refused);
          if (peer.channels.delete(req.ch)) fanout.unsubscribe(peer, req.ch);
          return send(peer, okAck(req.id));
        case "pub": {
          if ((refused = channelGate(peer, req.id, req.ch, "pub")) !== undefined) return send(peer, refused);
          const n = fanout.publish(req.ch, delivery(req.ch, req.seq, req.ts, req.p));
          return send(peer, countAck(req.id, n));
        }
        case "stats": {
          const memory = abilities.memory();
          return send(
            peer,
            statsAck(req.id, {
              rssBytes: memory.rssBytes,
              heapUsedBytes: memory.heapUsedBytes,
              connections: live,
              channels: fanout.channelCount(),
              runtime: abilities.runtime,
              limits: { ...counts },
            }),
          );
        }
      }
    },

    close(peer) {
      if (!peer.open) return;
      peer.open = false;
      live--;
      tracked?.delete(peer);
      fanout.drop(peer);
      peer.channels.clear();
    },

    sweepIdle() {
      if (tracked === undefined) return 0;
      const t = now();
      let closed = 0;
      for (const peer of tracked) {
        if (t - peer.lastSeen <= idleMs!) continue;
        counts.idleClosed++;
        closed++;
        cut(peer, IDLE_CLOSE);
      }
      return closed;
    },

    overflow(peer) {
      if (!peer.open) return;
      counts.slowClosed++;
      cut(peer, SLOW_CLOSE);
    },

    get connections() {
      return live;
    },
    get channels() {
      return fanout.channelCount();
    },
    get limits() {
      return { ...counts };
    },
  };

  /** closes the socket and forgets the peer at once: its subscriptions must not wait for the close handshake */
  function cut(peer: P, why: { code: number; reason: string }): void {
    hub.close(peer);
    try {
      peer.close(why.code, why.reason);
    } catch {
      // already gone
    }
  }

  return hub;
}
