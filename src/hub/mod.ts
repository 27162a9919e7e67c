/**
 * @module
 * The runtime-free reference server: connections, channels, RBAC. Every
 * adapter in `src/adapters/` wraps a hub; engine benchmarks drive one
 * in-process with counting peers.
 *
 * @example
 * ```ts
 * import { createHub, createCountingPeer } from "./src/hub/mod.ts";
 * const hub = createHub();
 * const [a, b] = [createCountingPeer(), createCountingPeer()];
 * hub.open(a); hub.open(b);
 * hub.message(a, '{"op":"sub","id":1,"ch":"public.x"}');
 * hub.message(b, '{"op":"pub","id":1,"ch":"public.x","seq":0,"ts":0,"p":"hi"}'); // forbidden: guests may not publish
 * ```
 */
export * from "../model/hub-options.ts";
export * from "./peer.ts";
export * from "./channels.ts";
export * from "./rbac.ts";
export * from "./hub.ts";
