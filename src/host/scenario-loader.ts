/**
 * Scenario modules by path, for `--scenario` and `.scenario("./x.ts")`, and
 * for worker processes, which load a plan's scenarios again by the module it
 * names: a function cannot cross a process boundary, a path can. The
 * module's default export (or its `scenario` export) is what
 * `defineScenario` returned, or the definition object itself.
 */
import { isAbsolute, resolve } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { isModuleUrl } from "../profiles/builtin.ts";
import { importUserModule } from "./user-module-import.ts";
import { defineScenario, fromModule, isScenario, type Scenario, type ScenarioDefinition } from "../suites/scenario-definition.ts";

/** A path made absolute (against the working directory), so any process can load it; a URL as it is. */
export const resolveScenarioSpec = (spec: string): string => (isModuleUrl(spec) || isAbsolute(spec) ? spec : resolve(process.cwd(), spec));

const loaded = new Map<string, Promise<Scenario<unknown>>>();

async function importScenario(where: string): Promise<Scenario<unknown>> {
  let mod: Record<string, unknown>;
  try {
    // the same import as a profile module's: a .ts scenario then loads in a "type": "commonjs" project too
    mod = await importUserModule(isModuleUrl(where) ? where : pathToFileURL(where).href);
  } catch (error) {
    throw new RangeError(`scenario module ${where} could not be loaded: ${(error as Error)?.message ?? String(error)}`);
  }
  const exported = mod.default ?? mod.scenario;
  if (exported === undefined) throw new RangeError(`scenario module ${where} has no default export (export default defineScenario({ … }))`);
  try {
    return isScenario(exported) ? fromModule(exported, where) : defineScenario(exported as ScenarioDefinition<unknown>, where);
  } catch (error) {
    throw new RangeError(`scenario module ${where}: ${(error as Error).message}`);
  }
}

/** The scenario the module at `spec` exports; loaded once per process. */
export function loadScenario(spec: string): Promise<Scenario<unknown>> {
  const where = resolveScenarioSpec(spec);
  let scenario = loaded.get(where);
  if (!scenario) loaded.set(where, scenario = importScenario(where));
  return scenario;
}
