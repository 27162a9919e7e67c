/**
 * What an adapter passes to the hub: the policy and the limits that keep the
 * reference server standing under abuse. Validated with valibot when a hub is
 * created, so a bad option fails at start-up with the field named, never at
 * the first frame.
 *
 * Defaults are chosen so that no benchmark is throttled: the rate limit, the
 * idle timeout, `requireAuth` and the origin allow-list are off; the frame,
 * channel and send-buffer bounds are far above what any suite sends, and the
 * handshake deadline far above what any handshake takes.
 */
import * as v from "valibot";
import type { Bool, IntFrom, List, Num, Obj, Optional, Str } from "./valibot-types.ts";
import type { Policy } from "./access-policy.ts";

/** The longest delay a timer takes on every runtime (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const HUB_DEFAULTS = {
  /** 1 MiB, in UTF-16 code units */
  maxFrameBytes: 1 << 20,
  maxChannelsPerPeer: 1_000,
  maxChannelLength: 256,
  /** 8 MiB: a few of the largest replies, far above any suite's in-flight bytes */
  maxBufferedBytes: 8 << 20,
  /** 10 s from accepting a TCP connection to a complete upgrade request: Bun's own fixed bound, so every runtime shares it */
  handshakeTimeoutMs: 10_000,
} as const;

/** The longest handshake deadline: a client that needs minutes to send its request headers is an attack, not a client. */
export const MAX_HANDSHAKE_TIMEOUT_MS = 255_000;

// explicit schema types: JSR refuses inferred ones in the public API (see model/valibot-types.ts)
const positiveInt: IntFrom<1> = v.pipe(v.number(), v.integer(), v.minValue(1));

/** An origin as browsers send it: scheme://host[:port], nothing after. */
const OriginSchema: v.SchemaWithPipe<readonly [Str, v.CheckAction<string, string>]> = v.pipe(
  v.string(),
  v.check(
    (o) => URL.canParse(o) && new URL(o).origin === o.toLowerCase(),
    "an origin is scheme://host[:port] in lower case, with no path or trailing slash, e.g. https://app.example.com",
  ),
);

export const RateLimitSchema: Obj<{
  readonly perSecond: v.SchemaWithPipe<readonly [Num, v.FiniteAction<number, undefined>, v.GtValueAction<number, 0, undefined>]>;
  readonly burst: IntFrom<1>;
}> = v.object({
  /** frames per second added back to each connection's bucket */
  perSecond: v.pipe(v.number(), v.finite(), v.gtValue(0)),
  /** frames a connection may send at once (the bucket's size) */
  burst: positiveInt,
});
export type RateLimit = v.InferOutput<typeof RateLimitSchema>;

export const HubOptionsSchema: v.StrictObjectSchema<{
  readonly policy: Optional<v.CustomSchema<Policy, v.ErrorMessage<v.CustomIssue> | undefined>>;
  readonly maxFrameBytes: Optional<IntFrom<1>>;
  readonly rateLimit: Optional<typeof RateLimitSchema>;
  readonly requireAuth: Optional<Bool>;
  readonly maxChannelsPerPeer: Optional<IntFrom<1>>;
  readonly maxChannelLength: Optional<IntFrom<1>>;
  readonly idleTimeoutMs: Optional<v.SchemaWithPipe<readonly [IntFrom<1>, v.MaxValueAction<number, number, undefined>]>>;
  readonly allowedOrigins: Optional<List<typeof OriginSchema>>;
  readonly maxBufferedBytes: Optional<IntFrom<1>>;
  readonly handshakeTimeoutMs: Optional<v.SchemaWithPipe<readonly [IntFrom<1>, v.MaxValueAction<number, number, undefined>]>>;
}, undefined> = v.strictObject({
  /** roles, tokens and channel rules; DEFAULT_POLICY when absent */
  policy: v.optional(
    v.custom<Policy>(
      (p) => typeof p === "object" && p !== null && "roles" in p && "tokens" in p,
      "a policy is an object with roles and tokens",
    ),
  ),
  /** frames longer than this (UTF-16 code units) are refused with `too_large`; 1 MiB by default */
  maxFrameBytes: v.optional(positiveInt),
  /** a token bucket per connection; frames over it get `rate_limited`. Off by default */
  rateLimit: v.optional(RateLimitSchema),
  /** guests may not sub or pub at all (`unauthenticated`) until they `auth`; off by default */
  requireAuth: v.optional(v.boolean()),
  /** channels one connection may hold at once; more get `too_many_channels`. 1,000 by default */
  maxChannelsPerPeer: v.optional(positiveInt),
  /** longest channel name (UTF-16 code units); longer ones get `bad_request`. 256 by default */
  maxChannelLength: v.optional(positiveInt),
  /** a connection that sends nothing for this long is closed (1001); off by default */
  idleTimeoutMs: v.optional(v.pipe(positiveInt, v.maxValue(MAX_TIMER_MS))),
  /**
   * Origin header values allowed at the upgrade (others get HTTP 403); a request without Origin (not a browser) passes.
   * Any origin when absent
   */
  allowedOrigins: v.optional(v.array(OriginSchema)),
  /** bytes waiting to be sent to one connection past which the adapter closes it (1013) instead of queueing more; 8 MiB by default */
  maxBufferedBytes: v.optional(positiveInt),
  /** a connection whose upgrade request is not complete this long after accept is dropped; 10 s by default (fixed on Bun) */
  handshakeTimeoutMs: v.optional(v.pipe(positiveInt, v.maxValue(MAX_HANDSHAKE_TIMEOUT_MS))),
});
export type HubOptions = v.InferInput<typeof HubOptionsSchema>;

/** Validates options; throws a `v.ValiError` whose issues name the field. */
export function parseHubOptions(options: unknown): HubOptions {
  return v.parse(HubOptionsSchema, options ?? {});
}

/** Whether an upgrade request may go on: no allow-list, no Origin header (not a browser), or a listed origin. */
export function originAllowed(options: HubOptions | undefined, origin: string | null | undefined): boolean {
  const allowed = options?.allowedOrigins;
  if (allowed === undefined || origin === null || origin === undefined) return true;
  return allowed.includes(origin.toLowerCase());
}
