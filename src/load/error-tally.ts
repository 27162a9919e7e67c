/**
 * Counts errors by class, keeping the first message of each: nothing is
 * silently dropped. After `stop()` (the user stopped the run), absence faults
 * (`faults.ts`) are kept apart: they say what the stop cut short, not what
 * the server did.
 */
import type { ErrorCount } from "../model/result.ts";
import { type FaultClass, FAULTS } from "../model/faults.ts";

type Counts = Map<string, ErrorCount>;

function add(counts: Counts, errorClass: string, message: string, count: number): void {
  const seen = counts.get(errorClass);
  if (seen) seen.count += count;
  else counts.set(errorClass, { class: errorClass, count, message });
}

const listOf = (counts: Counts): ErrorCount[] => [...counts.values()].map((e) => ({ ...e }));

export class ErrorTally {
  #counts: Counts = new Map();
  #afterStop: Counts = new Map();
  #stopped = false;

  add(errorClass: FaultClass, message: string, count = 1): void {
    if (count <= 0) return;
    add(this.#stopped && FAULTS[errorClass].absence ? this.#afterStop : this.#counts, errorClass, message, count);
  }

  /** errors counted elsewhere (a worker, a shard, a result file), kept under their class whatever it is */
  addCounted(errors: readonly ErrorCount[]): void {
    for (const e of errors) if (e.count > 0) add(this.#counts, e.class, e.message, e.count);
  }

  /** the user stopped the run: absence faults from now on are not the server's */
  stop(): void {
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  count(errorClass?: string): number {
    if (errorClass !== undefined) return this.#counts.get(errorClass)?.count ?? 0;
    let total = 0;
    for (const e of this.#counts.values()) total += e.count;
    return total;
  }

  list(): ErrorCount[] {
    return listOf(this.#counts);
  }

  /** absence faults seen after the stop, not counted */
  afterStop(): ErrorCount[] {
    return listOf(this.#afterStop);
  }
}
