/**
 * The reference server's roles and what each may do. A connection starts as
 * `guest`; `auth` with a known token gives it the token's role.
 *
 * Channel patterns end in `.*` (any channel under that prefix) or are `*` (all).
 */
import type { Action, Policy, Role } from "../model/access-policy.ts";

export type { Policy, Role, RoleRule } from "../model/access-policy.ts";

/** Actions every connection may make whatever its role: they touch no channel. */
export const OPEN_ACTIONS: readonly Action[] = ["echo", "auth", "stats"];

export const DEFAULT_POLICY: Policy = {
  roles: {
    guest: { actions: ["sub", "unsub"], channels: ["public.*"] },
    subscriber: { actions: ["sub", "unsub"], channels: ["public.*", "news.*"] },
    publisher: { actions: ["sub", "unsub", "pub"], channels: ["public.*", "news.*"] },
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
