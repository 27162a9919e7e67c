/**
 * A suite's status, settled from what happened to it: the user's stop, a
 * failure of its own (it threw, or the server closed every connection under
 * it), or nothing measured of what it exists for. A suite that measured
 * nothing also logs it as an error, so every report lists it with the rest.
 */
import type { ErrorTally } from "../load/error-tally.ts";
import type { SuiteResult } from "../model/result.ts";
import type { SuiteFigures } from "./suite-figures.ts";

export function settleStatus(
  aborted: boolean,
  failure: string | undefined,
  figures: SuiteFigures,
  errors: ErrorTally,
): Pick<SuiteResult, "status" | "reason"> {
  // what the stop cut short is no measurement missed
  if (aborted) return { status: "aborted" };
  if (figures.unmeasured !== undefined && errors.count("nothing_measured") === 0) errors.add("nothing_measured", figures.unmeasured);
  const reason = failure ?? figures.unmeasured;
  return reason === undefined ? { status: "ok" } : { status: "failed", reason };
}

/** The message of something thrown. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
