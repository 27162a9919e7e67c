/**
 * The reference server's roles and what each may do. A connection starts as
 * `guest`; `auth` with a known token gives it the token's role, and a new role
 * is checked against every channel the connection already holds.
 *
 * Channel patterns end in `.*` (any channel under that prefix) or are `*` (all).
 */
import type { Action, Policy, Role } from "../model/access-policy.ts";

export type { Policy, Role, RoleRule } from "../model/access-policy.ts";

/**
 * Actions every connection may make whatever its role: three touch no channel, and leaving a
 * channel only takes away (a connection whose role was lowered must always be able to go).
 */
export const OPEN_ACTIONS: readonly Action[] = ["echo", "auth", "stats", "unsub"];

export const DEFAULT_POLICY: Policy = {
  roles: {
    guest: { actions: ["sub"], channels: ["public.*"] },
    subscriber: { actions: ["sub"], channels: ["public.*", "news.*"] },
    publisher: { actions: ["sub", "pub"], channels: ["public.*", "news.*"] },
    admin: { actions: "*", channels: ["*"] },
  },
  tokens: {
    "subscriber-token": "subscriber",
    "publisher-token": "publisher",
    "admin-token": "admin",
  },
};

/** The token for a role under the default policy (guest needs none). */
export function tokenFor(role: Exclude<Role, "guest">, policy: Policy = DEFAULT_POLICY): string {
  for (const [token, r] of Object.entries(policy.tokens)) if (r === role) return token;
  throw new Error(`no token for role ${role} in the policy`);
}
