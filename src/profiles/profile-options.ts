/**
 * Options of a built-in profile travel in its name, as a query
 * (`mqtt?version=5&qos=1`, `graphql-ws?echo=ping`), so `--profile`,
 * `.profile()` and every worker process name the same profile with one
 * string. This reads such a query against what the profile takes; a bad one
 * is one line through the input formatter.
 */
import { inputError } from "../model/input-error.ts";

/** An option: its default, and the values it takes (a list, or a check returning what is wrong). */
export type OptionSpec = {
  readonly default: string;
  readonly allowed?: readonly string[];
  readonly check?: (value: string) => string | undefined;
};

/**
 * The options `query` sets for `profile`, each checked, defaults filled in.
 * Throws a RangeError worded for `subject` for an unknown name, an empty or a disallowed value.
 */
export function readProfileOptions<K extends string>(
  profile: string,
  query: string,
  specs: Readonly<Record<K, OptionSpec>>,
  subject = "profile",
): Record<K, string> {
  const names = Object.keys(specs) as K[];
  const out = Object.fromEntries(names.map((n) => [n, specs[n].default])) as Record<K, string>;
  for (const [name, value] of new URLSearchParams(query)) {
    if (!(names as string[]).includes(name)) {
      throw inputError(subject, `the ${profile} profile has no option "${name}"`, { names, given: name });
    }
    const spec = specs[name as K];
    const example = `e.g. ${profile}?${name}=${spec.allowed?.[0] ?? spec.default}`;
    if (value === "") throw inputError(subject, `${profile} option ${name} is empty`, `a value, ${example}`);
    if (spec.allowed && !spec.allowed.includes(value)) {
      throw inputError(subject, `${profile} option ${name} "${value}" is not one it takes`, { names: spec.allowed, given: value });
    }
    const wrong = spec.check?.(value);
    if (wrong) throw inputError(subject, `${profile} option ${name} "${value}" ${wrong}`, example);
    out[name as K] = value;
  }
  return out;
}

/** The name and the option query of a profile spec: `mqtt?qos=1` → ["mqtt", "qos=1"]. */
export function splitProfileSpec(spec: string): [string, string | undefined] {
  const at = spec.indexOf("?");
  return at < 0 ? [spec, undefined] : [spec.slice(0, at), spec.slice(at + 1)];
}
