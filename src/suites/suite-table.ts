/** A suite by the name a plan gives it: one of the six, or a scenario of the run's as one more suite. */
import { isBuiltinSuite } from "../model/result-names.ts";
import { SUITES } from "./mod.ts";
import type { Scenario } from "./scenario-definition.ts";
import { scenarioSuite } from "./scenario-suite.ts";
import { SCENARIO_ANSWERED } from "./scenario-metrics.ts";
import type { Suite } from "./suite.ts";

const asSuites = new WeakMap<Scenario<unknown>, Suite>();

/** The suite `name` names; throws for a scenario the run was not given (a bug of ours: the plan and the run disagree). */
export function suiteNamed(name: string, scenarios: ReadonlyMap<string, Scenario<unknown>>): Suite {
  if (isBuiltinSuite(name)) return SUITES[name];
  const scenario = scenarios.get(name);
  if (!scenario) throw new Error(`the plan runs scenario ${name}, and the run was not given its code`);
  let suite = asSuites.get(scenario);
  if (!suite) asSuites.set(scenario, suite = scenarioSuite(scenario));
  return suite;
}

/** What the suite `name` names exists to do (its `answered` label), known before a scenario's code is loaded. */
export function answeredOf(name: string): string {
  return isBuiltinSuite(name) ? SUITES[name].answered : SCENARIO_ANSWERED;
}
