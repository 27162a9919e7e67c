/** The profiles wsstress ships, by the name `--profile` and `.profile()` take. */
import { echoProfile } from "./echo.ts";
import type { Profile } from "./profile.ts";
import { socketioProfile } from "./socketio.ts";
import { socketioOptionsOf } from "./socketio-options.ts";
import { wsstressProfile } from "./wsstress.ts";

const SOCKETIO = socketioProfile();

export const BUILTIN_PROFILES: Readonly<Record<string, Profile>> = { wsstress: wsstressProfile, echo: echoProfile, socketio: SOCKETIO };
export const BUILTIN_PROFILE_NAMES: readonly string[] = Object.keys(BUILTIN_PROFILES);

/**
 * The built-in profile `spec` names, or undefined for none. Socket.IO takes options as a query
 * (`socketio?namespace=/chat&echo=ping`); a bad one is a RangeError worded for `subject`.
 */
export function builtinProfile(spec: string, subject = "profile"): Profile | undefined {
  if (spec.startsWith("socketio?")) return socketioProfile(socketioOptionsOf(spec.slice("socketio?".length), subject), spec);
  return Object.hasOwn(BUILTIN_PROFILES, spec) ? BUILTIN_PROFILES[spec] : undefined;
}

/** Whether `spec` is a module URL (file:, http:, https:) rather than a path. */
export const isModuleUrl = (spec: string): boolean => /^(file|https?):/.test(spec);

/** Whether `spec` names a profile module (a path or a URL) rather than a built-in profile. */
export const namesProfileModule = (spec: string): boolean =>
  !spec.startsWith("socketio?") && (isModuleUrl(spec) || /[/\\]/.test(spec) || /\.[cm]?[jt]s$/.test(spec));

/** Whether `value` is a profile (what `defineProtocol` returns) rather than a definition. */
export const isProfile = (value: unknown): value is Profile =>
  typeof value === "object" && value !== null && typeof (value as Profile).open === "function" &&
  typeof (value as Profile).name === "string";
