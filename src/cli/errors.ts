/**
 * Bad input the CLI finds itself (a file it cannot read, say): a RangeError,
 * like every bad input the builder and the input formatter report, so one
 * class means "the user's mistake": the CLI prints the message and exits 2.
 */
export class UsageError extends RangeError {}

/** Whether `error` is the user's mistake (exit 2) rather than a failure of the run. */
export function isUsageError(error: unknown): error is Error {
  return error instanceof RangeError || (error as Error)?.name === "ValiError";
}

/** An error as "path: message" lines when valibot gave it a path, so the user sees which field was wrong. */
export function describeError(error: Error): string {
  const issues = (error as Error & { issues?: Array<{ message: string; path?: Array<{ key: unknown }> }> }).issues;
  if (!issues) return error.message;
  return issues.map((i) => `${i.path?.map((p) => String(p.key)).join(".") || "input"}: ${i.message}`).join("\n  ");
}
