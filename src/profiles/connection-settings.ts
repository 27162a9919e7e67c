/**
 * What every connection of a run carries to a server of the caller's: extra
 * handshake headers, subprotocols, a CA for wss://, and the token each role
 * authenticates with. Header and token values may be secrets: they travel to
 * the sockets (and to worker processes) but never into a result, which names
 * them only (`connectionPlan`).
 */
import * as v from "valibot";
import type { List, Obj, Optional, Str } from "../model/valibot-types.ts";
import { AUTH_ROLES, type AuthRole, type Profile } from "./profile.ts";
import type { ConnectionPlan } from "../model/result.ts";
import type { ConnectOptions } from "../model/runtime-contract.ts";

/** The settings as they travel to worker processes; `.headers()`, `.tokens()`… check each value on the way in. */
// explicit valibot type: the builder's settings are part of the public API, where JSR asks for one
export const ConnectionSettingsSchema: Obj<{
  readonly headers: Optional<v.RecordSchema<Str, Str, undefined>>;
  readonly protocols: Optional<List<Str>>;
  readonly ca: Optional<Str>;
  readonly tokens: Optional<v.SchemaWithPartial<Obj<{ readonly subscriber: Str; readonly publisher: Str; readonly admin: Str }>, undefined>>;
}> = v.object({
  headers: v.optional(v.record(v.string(), v.string())),
  protocols: v.optional(v.array(v.string())),
  /** PEM text */
  ca: v.optional(v.string()),
  tokens: v.optional(v.partial(v.object({ subscriber: v.string(), publisher: v.string(), admin: v.string() }))),
});
export type ConnectionSettings = v.InferOutput<typeof ConnectionSettingsSchema>;

/** The socket options of the settings (tokens go in frames, not handshakes). */
export const connectOptionsOf = (s: ConnectionSettings): ConnectOptions => ({
  ...(s.headers ? { headers: s.headers } : {}),
  ...(s.protocols ? { protocols: s.protocols } : {}),
  ...(s.ca ? { ca: s.ca } : {}),
});

/** The settings as a plan records them: names, never values; undefined when there are none. */
export function connectionPlan(s: ConnectionSettings): ConnectionPlan | undefined {
  const headers = Object.keys(s.headers ?? {});
  const tokens = AUTH_ROLES.filter((r) => s.tokens?.[r] !== undefined);
  if (headers.length === 0 && !s.protocols?.length && !s.ca && tokens.length === 0) return undefined;
  return { headers, subprotocols: [...(s.protocols ?? [])], tokens, customCa: s.ca !== undefined };
}

/** The token `role` authenticates with: the caller's, else the profile's default. */
export const tokenOf = (profile: Profile, settings: ConnectionSettings, role: AuthRole): string | undefined =>
  settings.tokens?.[role] ?? profile.defaultTokens[role];
