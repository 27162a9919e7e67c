/**
 * The shape of the reference server's access policy: the requests a role may
 * make, on which channels, and the tokens that give a connection its role.
 * Types only, on the ground floor because the runtime contract's `serve()`
 * takes them (through `HubOptions`); the default policy and the frames are the
 * protocol's (`protocol/policy.ts`, `protocol/messages.ts`).
 *
 * Channel patterns end in `.*` (any channel under that prefix) or are `*` (all).
 */

/** The requests of the reference protocol, by their `op`. */
export type Action = "echo" | "auth" | "sub" | "unsub" | "pub" | "stats";

export type Role = "guest" | "subscriber" | "publisher" | "admin";

export type RoleRule = { actions: readonly Action[] | "*"; channels: readonly string[] };
export type Policy = { roles: Record<Role, RoleRule>; tokens: Record<string, Role> };
