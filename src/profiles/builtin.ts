/** The profiles wsstress ships, by the name `--profile` and `.profile()` take. */
import { echoProfile } from "./echo.ts";
import type { Profile } from "./profile.ts";
import { wsstressProfile } from "./wsstress.ts";

export const BUILTIN_PROFILES: Readonly<Record<string, Profile>> = { wsstress: wsstressProfile, echo: echoProfile };
export const BUILTIN_PROFILE_NAMES: readonly string[] = Object.keys(BUILTIN_PROFILES);

export const builtinProfile = (name: string): Profile | undefined => (Object.hasOwn(BUILTIN_PROFILES, name) ? BUILTIN_PROFILES[name] : undefined);

/** Whether `spec` is a module URL (file:, http:, https:) rather than a path. */
export const isModuleUrl = (spec: string): boolean => /^(file|https?):/.test(spec);

/** Whether `spec` names a profile module (a path or a URL) rather than a built-in profile. */
export const namesProfileModule = (spec: string): boolean => isModuleUrl(spec) || /[/\\]/.test(spec) || /\.[cm]?[jt]s$/.test(spec);

/** Whether `value` is a profile (what `defineProtocol` returns) rather than a definition. */
export const isProfile = (value: unknown): value is Profile =>
  typeof value === "object" && value !== null && typeof (value as Profile).open === "function" &&
  typeof (value as Profile).name === "string";
