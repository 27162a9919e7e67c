/**
 * Every conformance case, by group, and how `--cases` picks them: exact ids
 * (`7.7.1`) and patterns (`1.*`, `6.4.*`, `*`) separated by commas. Without
 * a choice, every group but the slow ones Autobahn users exclude too (9
 * limits, 12–13 deflate); a pattern that names a slow group brings it in.
 *
 * @example
 * ```ts
 * import { selectCases } from "./case-catalogue.ts";
 * selectCases(["1.*", "5.*"]).length; // 36
 * ```
 */
import { inputError } from "../model/input-error.ts";
import type { CaseDefinition, CaseGroup } from "./case-definition.ts";
import { CLOSE_HANDLING } from "./cases-close.ts";
import { DEFLATE_OFFERS, DEFLATE_PAYLOADS } from "./cases-deflate.ts";
import { FRAGMENTATION } from "./cases-fragments.ts";
import { FRAMING, PINGS } from "./cases-framing.ts";
import { LIMITS } from "./cases-limits.ts";
import { OPCODES, RESERVED_BITS } from "./cases-reserved.ts";
import { UTF8_HANDLING } from "./cases-utf8.ts";

export const CASE_GROUPS: readonly CaseGroup[] = [
  FRAMING,
  PINGS,
  RESERVED_BITS,
  OPCODES,
  FRAGMENTATION,
  UTF8_HANDLING,
  CLOSE_HANDLING,
  LIMITS,
  DEFLATE_PAYLOADS,
  DEFLATE_OFFERS,
];

export const ALL_CASES: readonly CaseDefinition[] = CASE_GROUPS.flatMap((g) => g.cases);

const groupOf = (id: string): CaseGroup => CASE_GROUPS.find((g) => id.split(".")[0] === g.id)!;

/** `1.*` matches 1.1.1 and 1.2.8; `6.4.*` matches 6.4.1; `*` matches everything; an id matches itself. */
function matches(pattern: string, id: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return id.startsWith(pattern.slice(0, -1));
  return pattern === id;
}

const PATTERN = /^(\*|\d+(\.\d+)*(\.\*)?)$/;

/** The cases `patterns` pick, in catalogue order; the default set when there are none. Bad patterns are a RangeError. */
export function selectCases(patterns: readonly string[], subject = "cases"): CaseDefinition[] {
  if (patterns.length === 0) return ALL_CASES.filter((c) => !groupOf(c.id).optIn);
  const allowed = `case ids and patterns such as 1.*, 5.*, 6.4.*, 7.7.1 or * (groups ${CASE_GROUPS.map((g) => g.id).join(", ")})`;
  for (const p of patterns) {
    if (!PATTERN.test(p)) throw inputError(subject, `"${p}" is not a case id or pattern`, allowed);
    if (!ALL_CASES.some((c) => matches(p, c.id))) throw inputError(subject, `"${p}" matches no case`, allowed);
  }
  return ALL_CASES.filter((c) => patterns.some((p) => matches(p, c.id)));
}

/** `--cases 1.*,5.*` as patterns: split on commas, blanks dropped. */
export const splitPatterns = (text: string): string[] => text.split(",").map((p) => p.trim()).filter((p) => p !== "");

/**
 * The sample a stress run's `--conform` runs at every level: one case for
 * each distinct behaviour, none that waits on purpose, and a deflate case
 * (20 messages rather than 1,000) when the server takes deflate.
 */
export const LOAD_SAMPLE: readonly string[] = [
  "1.1.2",
  "1.2.8",
  "2.3",
  "2.5",
  "3.2",
  "4.2.1",
  "5.6",
  "5.15",
  "6.2.4",
  "6.3.1",
  "7.3.2",
  "7.5.1",
  "7.7.1",
  "7.9.1",
  "12.4.3",
];
export const SAMPLE_MESSAGE_LIMIT = 20;

export function caseById(id: string): CaseDefinition | undefined {
  return ALL_CASES.find((c) => c.id === id);
}
