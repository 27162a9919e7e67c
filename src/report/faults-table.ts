/**
 * The fault catalogue as a markdown table, for docs/honest-numbers.md ("When
 * the server misbehaves"): generated from `model/faults.ts`, the classes the
 * error tally accepts, so the documented verdicts are the ones applied (a test
 * checks the doc holds exactly this table).
 */
import { FAULTS } from "../model/faults.ts";
import { MARKS } from "./format.ts";
import { markdownTable } from "./_table.ts";

export function faultsTable(): string {
  const rows = Object.entries(FAULTS).map(([name, f]) => [
    `\`${name}\``,
    f.what,
    f.counted,
    `${MARKS[f.verdict]} ${f.verdict}`,
    f.absence ? "a note, not counted" : "counted",
  ]);
  return markdownTable({ header: ["class", "what happened", "counted as", "verdict", "after a user's stop"], rows });
}
