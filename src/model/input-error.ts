/**
 * @module
 * The one way wsstress words bad input, from the SDK and the CLI alike: one
 * line naming the option as the caller wrote it, what was wrong, the nearest
 * allowed name when one looks mistyped, and what is allowed. Always a
 * `RangeError` (the CLI exits 2 on it).
 *
 * @example
 * ```ts
 * import { inputError } from "./input-error.ts";
 * throw inputError("--level", 'unknown level "hgih"', { names: ["minimal", "high"], given: "hgih" });
 * // RangeError: --level: unknown level "hgih" (did you mean "high"?); allowed: minimal, high
 * ```
 */

/** What is allowed: a sentence, or the names themselves (then a mistyped `given` gets a "did you mean"). */
export type Allowed = string | {
  names: readonly string[];
  given?: string; /** said after the names, e.g. "or a custom level object" */
  more?: string;
};

/** `subject: problem (did you mean "x"?); allowed: …` as a RangeError. */
export function inputError(subject: string, problem: string, allowed: Allowed): RangeError {
  return new RangeError(inputMessage(subject, problem, allowed));
}

export function inputMessage(subject: string, problem: string, allowed: Allowed): string {
  if (typeof allowed === "string") return `${subject}: ${problem}; allowed: ${allowed}`;
  const near = allowed.given === undefined ? undefined : nearest(allowed.given, allowed.names);
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  const list = allowed.names.join(", ") + (allowed.more ? `, ${allowed.more}` : "");
  return `${subject}: ${problem}${hint}; allowed: ${list}`;
}

/** A valibot failure (`.issues`) or any error, as `inputError` words it: the first issue's path joins the subject. */
export function issueError(subject: string, error: unknown, allowed: Allowed): RangeError {
  const issue = (error as { issues?: Array<{ message: string; path?: Array<{ key: unknown }> }> }).issues?.[0];
  if (!issue) return inputError(subject, (error as Error).message, allowed);
  const path = issue.path?.map((p) => String(p.key)).join(".");
  return inputError(`${subject}${path ? `.${path}` : ""}`, issue.message, allowed);
}

/**
 * The allowed name closest to `given`: the same but for case, or within one
 * edit per three characters (an adjacent swap counts one), so `hgih` finds
 * `high` and `tolerence` finds `tolerance` while `huge` finds nothing.
 */
export function nearest(given: string, names: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  const same = names.find((n) => n.toLowerCase() === lower);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(given.length / 3)) + 1;
  for (const name of names) {
    const d = distance(lower, name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Edit distance with adjacent transpositions (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
