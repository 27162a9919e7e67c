/**
 * Profiles by name or module path, for `--profile` and for worker processes:
 * a plain object cannot cross a process boundary, a module path can. The
 * module's default export (or its `profile` export) is what `defineProtocol`
 * returned, or the definition object itself.
 */
import { isAbsolute, resolve } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { BUILTIN_PROFILE_NAMES, builtinProfile, isModuleUrl, isProfile, namesProfileModule } from "../profiles/builtin.ts";
import { defineProtocol } from "../profiles/define.ts";
import type { ProtocolDefinition } from "../profiles/protocol-definition.ts";
import type { Profile } from "../profiles/profile.ts";
import { importUserModule } from "./user-module-import.ts";

const ALLOWED = `${BUILTIN_PROFILE_NAMES.join(", ")}, or a module path such as ./my-profile.ts`;

/** A built-in name as it is; a module path made absolute (against the working directory), so any process can load it. */
export function resolveProfileSpec(spec: string): string {
  if (builtinProfile(spec)) return spec;
  if (isModuleUrl(spec)) return spec;
  if (!namesProfileModule(spec)) throw new RangeError(`unknown profile "${spec}"; allowed: ${ALLOWED}`);
  return isAbsolute(spec) ? spec : resolve(process.cwd(), spec);
}

const loaded = new Map<string, Promise<Profile>>();

async function importProfile(where: string): Promise<Profile> {
  const url = isModuleUrl(where) ? where : pathToFileURL(where).href;
  let mod: Record<string, unknown>;
  try {
    mod = await importUserModule(url);
  } catch (error) {
    throw new RangeError(`profile module ${where} could not be loaded: ${(error as Error).message}`);
  }
  const exported = mod.default ?? mod.profile;
  if (exported === undefined) throw new RangeError(`profile module ${where} has no default export (export default defineProtocol({ … }))`);
  let profile: Profile;
  try {
    profile = isProfile(exported) ? exported : defineProtocol(exported as ProtocolDefinition);
  } catch (error) {
    throw new RangeError(`profile module ${where}: ${(error as Error).message}`);
  }
  return { ...profile, module: where };
}

/** The profile `spec` names: a built-in one or the module at that path. */
export function loadProfile(spec: string): Promise<Profile> {
  const where = resolveProfileSpec(spec);
  const builtin = builtinProfile(where);
  if (builtin) return Promise.resolve(builtin);
  let profile = loaded.get(where);
  if (!profile) loaded.set(where, profile = importProfile(where));
  return profile;
}
