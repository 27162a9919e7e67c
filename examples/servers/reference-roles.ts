// wsstress's reference policy, for the example servers that enforce it (socketio.ts, graphql-ws.ts, mqtt-aedes.ts): a token gives a
// role (no token: guest), and a role may subscribe to or publish on channels by their first part.
export type Role = "guest" | "subscriber" | "publisher" | "admin";

const TOKENS: Record<string, Role> = { "subscriber-token": "subscriber", "publisher-token": "publisher", "admin-token": "admin" };
const MAY: Record<Role, { sub: string[]; pub: string[] }> = {
  guest: { sub: ["public"], pub: [] },
  subscriber: { sub: ["public", "news"], pub: [] },
  publisher: { sub: ["public", "news"], pub: ["public", "news"] },
  admin: { sub: ["*"], pub: ["*"] },
};

/** the role `token` gives; undefined for a token the policy does not know (refuse the connection) */
export const roleOf = (token: string | undefined): Role | undefined => (token === undefined ? "guest" : TOKENS[token]);

/** whether `role` may subscribe to (`sub`) or publish on (`pub`) a channel whose first part is `first` (`public` of `public.news`) */
export const may = (role: Role, action: "sub" | "pub", first: string): boolean =>
  MAY[role][action].some((allowed) => allowed === "*" || allowed === first);
