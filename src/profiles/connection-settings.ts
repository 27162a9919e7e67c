/**
 * What every connection of a run carries to a server of the caller's: extra
 * handshake headers and query parameters, subprotocols, a CA for wss://, a
 * handshake payload for protocols that carry one (Socket.IO's `auth`), and
 * the token each role authenticates with. Their values may be secrets: they
 * travel to the sockets (and to worker processes) but never into a result,
 * which names them only (`connectionPlan`).
 */
import * as v from "valibot";
import type { List, Obj, Optional, Str } from "../model/valibot-types.ts";
import { AUTH_ROLES, type AuthRole, type Profile } from "./profile.ts";
import type { ConnectionPlan } from "../model/plan.ts";
import type { ConnectOptions } from "../model/runtime-contract.ts";

/** The settings as they travel to worker processes; `.headers()`, `.tokens()`… check each value on the way in. */
// explicit valibot type: the builder's settings are part of the public API, where JSR asks for one
export const ConnectionSettingsSchema: Obj<{
  readonly headers: Optional<v.RecordSchema<Str, Str, undefined>>;
  readonly query: Optional<v.RecordSchema<Str, Str, undefined>>;
  readonly auth: Optional<v.RecordSchema<Str, Str, undefined>>;
  readonly protocols: Optional<List<Str>>;
  readonly ca: Optional<Str>;
  readonly tokens: Optional<
    v.SchemaWithPartial<Obj<{ readonly subscriber: Str; readonly publisher: Str; readonly admin: Str }>, undefined>
  >;
}> = v.object({
  headers: v.optional(v.record(v.string(), v.string())),
  /** added to every connection's URL */
  query: v.optional(v.record(v.string(), v.string())),
  /** the handshake payload of protocols that carry one (Socket.IO's CONNECT `auth`); the role's token joins it as `token` */
  auth: v.optional(v.record(v.string(), v.string())),
  protocols: v.optional(v.array(v.string())),
  /** PEM text */
  ca: v.optional(v.string()),
  tokens: v.optional(v.partial(v.object({ subscriber: v.string(), publisher: v.string(), admin: v.string() }))),
});
export type ConnectionSettings = v.InferOutput<typeof ConnectionSettingsSchema>;

/**
 * The socket options of the settings (the query goes in the URL, `auth` and tokens in the session's frames). The
 * profile's own subprotocols (`graphql-transport-ws`, `mqtt`) are offered first, then the caller's.
 */
export function connectOptionsOf(s: ConnectionSettings, profile?: Profile): ConnectOptions {
  const protocols = [...new Set([...(profile?.protocols ?? []), ...(s.protocols ?? [])])];
  return {
    ...(s.headers ? { headers: s.headers } : {}),
    ...(protocols.length > 0 ? { protocols } : {}),
    ...(s.ca ? { ca: s.ca } : {}),
  };
}

/** The settings as a plan records them: names, never values; undefined when there are none. */
export function connectionPlan(s: ConnectionSettings): ConnectionPlan | undefined {
  const headers = Object.keys(s.headers ?? {});
  const query = Object.keys(s.query ?? {});
  const auth = Object.keys(s.auth ?? {});
  const tokens = AUTH_ROLES.filter((r) => s.tokens?.[r] !== undefined);
  const none = headers.length === 0 && query.length === 0 && auth.length === 0 && tokens.length === 0;
  if (none && !s.protocols?.length && !s.ca) return undefined;
  return {
    headers,
    ...(query.length > 0 ? { query } : {}),
    ...(auth.length > 0 ? { auth } : {}),
    subprotocols: [...(s.protocols ?? [])],
    tokens,
    customCa: s.ca !== undefined,
  };
}

/** `url` with the settings' query parameters added (after any the URL has). */
export function withQuery(url: string, query: Readonly<Record<string, string>> | undefined): string {
  if (!query) return url;
  const u = new URL(url);
  for (const [name, value] of Object.entries(query)) u.searchParams.append(name, value);
  return u.href;
}

/** The token `role` authenticates with: the caller's, else the profile's default. */
export const tokenOf = (profile: Profile, settings: ConnectionSettings, role: AuthRole): string | undefined =>
  settings.tokens?.[role] ?? profile.defaultTokens[role];
