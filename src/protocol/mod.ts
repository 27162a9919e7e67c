/**
 * @module
 * The wsstress reference wire protocol: JSON text frames, one object per frame.
 *
 * Every request carries a client-chosen numeric `id`; the server answers each
 * request with exactly one reply carrying the same `id` (an `echo` or an `ack`),
 * so a client correlates replies without the server keeping any clock.
 *
 * | client → server | server → client |
 * | --- | --- |
 * | `{"op":"echo","id":1,"p":"…"}` | `{"op":"echo","id":1,"p":"…"}` (same payload) |
 * | `{"op":"auth","id":2,"token":"publisher-token"}` | `{"op":"ack","id":2,"ok":true,"role":"publisher"}` (+ `"dropped"`, below) |
 * | `{"op":"sub","id":3,"ch":"news.sport"}` | `{"op":"ack","id":3,"ok":true}` or `ok:false` with `code` |
 * | `{"op":"unsub","id":4,"ch":"news.sport"}` | `{"op":"ack","id":4,"ok":true}`, whatever the role: leaving is never refused |
 * | `{"op":"pub","id":5,"ch":"news.sport","seq":0,"ts":123.4,"p":"…"}` | publisher: `{"op":"ack","id":5,"ok":true,"n":<recipients>}`; every subscriber: `{"op":"msg","ch":"news.sport","seq":0,"ts":123.4,"p":"…"}` |
 * | `{"op":"stats","id":6}` (`"gc":true`: collect garbage first) | `{"op":"ack","id":6,"ok":true,"stats":{…}}` (`"collected"` answers `gc`) |
 *
 * A frame the server cannot parse or validate gets `{"op":"error","code":"bad_request","message":"…"}`
 * (with `id` when one could be read); one over the size limit gets `"too_large"` (unread, so
 * without `id`), one over the connection's rate limit `"rate_limited"` (with `id`). A request the
 * caller's role may not make gets `{"op":"ack","id":…,"ok":false,"code":"forbidden"}`
 * (`"unauthenticated"` for a bad token, or for a guest when the server requires auth;
 * `"too_many_channels"` for a subscription past the per-connection limit). `stats` also
 * reports how often each limit was hit (`limits`).
 *
 * A connection may `auth` again. Its new role is checked against every channel it
 * holds: those the role may not subscribe to (all of them for a guest when the
 * server requires auth) are unsubscribed at once, listed in the ack's `dropped`,
 * and get no further deliveries. A client that ignores `dropped` still works:
 * the field is only present when something was dropped.
 *
 * `seq` and `ts` in `pub` are opaque to the server: it copies them into every
 * delivery, so each recipient can check order and loss and compute
 * publish-to-receipt latency against the publisher's clock.
 *
 * @example
 * ```ts
 * import { encode, decodeReply } from "./src/protocol/mod.ts";
 * const frame = encode({ op: "echo", id: 1, p: "hello" });
 * const reply = decodeReply('{"op":"echo","id":1,"p":"hello"}');
 * ```
 */
export * from "./messages.ts";
export * from "./codec.ts";
export * from "./policy.ts";
