/**
 * The profiles wsstress ships, by the name `--profile` and `.profile()` take.
 * Those that take options carry them in the name as a query
 * (`socketio?namespace=/chat`, `mqtt?version=5&qos=1`), so every worker
 * process rebuilds the same profile from the one string.
 */
import { echoProfile } from "./echo.ts";
import { graphqlWsProfile } from "./graphql-ws.ts";
import { graphqlWsOptionsOf } from "./graphql-ws-options.ts";
import { mqttProfile } from "./mqtt.ts";
import { mqttOptionsOf } from "./mqtt-options.ts";
import type { Profile } from "./profile.ts";
import { splitProfileSpec } from "./profile-options.ts";
import { socketioProfile } from "./socketio.ts";
import { socketioOptionsOf } from "./socketio-options.ts";
import { wsstressProfile } from "./wsstress.ts";

export const BUILTIN_PROFILES: Readonly<Record<string, Profile>> = {
  wsstress: wsstressProfile,
  echo: echoProfile,
  socketio: socketioProfile(),
  "graphql-ws": graphqlWsProfile(),
  mqtt: mqttProfile(),
};
export const BUILTIN_PROFILE_NAMES: readonly string[] = Object.keys(BUILTIN_PROFILES);

/** The built-in profiles that take options, each built from its query (a RangeError worded for `subject` when one is bad). */
const WITH_OPTIONS: Readonly<Record<string, (query: string, spec: string, subject: string) => Profile>> = {
  socketio: (query, spec, subject) => socketioProfile(socketioOptionsOf(query, subject), spec),
  "graphql-ws": (query, spec, subject) => graphqlWsProfile(graphqlWsOptionsOf(query, subject), spec),
  mqtt: (query, spec, subject) => mqttProfile(mqttOptionsOf(query, subject), spec),
};

/** Whether `spec` is a built-in name with options (`mqtt?qos=1`), whatever the options hold (a path or prefix may hold a slash). */
const takesOptions = (spec: string): boolean => {
  const [name, query] = splitProfileSpec(spec);
  return query !== undefined && Object.hasOwn(WITH_OPTIONS, name);
};

/** The built-in profile `spec` names, or undefined for none; a bad option is a RangeError worded for `subject`. */
export function builtinProfile(spec: string, subject = "profile"): Profile | undefined {
  if (takesOptions(spec)) {
    const [name, query] = splitProfileSpec(spec);
    return WITH_OPTIONS[name](query!, spec, subject);
  }
  return Object.hasOwn(BUILTIN_PROFILES, spec) ? BUILTIN_PROFILES[spec] : undefined;
}

/** Whether `spec` is a module URL (file:, http:, https:) rather than a path. */
export const isModuleUrl = (spec: string): boolean => /^(file|https?):/.test(spec);

/** Whether `spec` names a profile module (a path or a URL) rather than a built-in profile. */
export const namesProfileModule = (spec: string): boolean =>
  !takesOptions(spec) && (isModuleUrl(spec) || /[/\\]/.test(spec) || /\.[cm]?[jt]s$/.test(spec));

/** Whether `value` is a profile (what `defineProtocol` returns) rather than a definition. */
export const isProfile = (value: unknown): value is Profile =>
  typeof value === "object" && value !== null && typeof (value as Profile).open === "function" &&
  typeof (value as Profile).name === "string";
