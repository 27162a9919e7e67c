/** Counts errors by class, keeping the first message of each: nothing is silently dropped. */
import type { ErrorCount } from "../model/result.ts";

export class ErrorTally {
  #counts = new Map<string, ErrorCount>();

  add(errorClass: string, message: string, count = 1): void {
    if (count <= 0) return;
    const seen = this.#counts.get(errorClass);
    if (seen) seen.count += count;
    else this.#counts.set(errorClass, { class: errorClass, count, message });
  }

  count(errorClass?: string): number {
    if (errorClass !== undefined) return this.#counts.get(errorClass)?.count ?? 0;
    let total = 0;
    for (const e of this.#counts.values()) total += e.count;
    return total;
  }

  merge(other: ErrorTally): void {
    for (const e of other.list()) this.add(e.class, e.message, e.count);
  }

  list(): ErrorCount[] {
    return [...this.#counts.values()].map((e) => ({ ...e }));
  }
}
