/**
 * What a suite has done so far, for the progress a run reports while it goes.
 * A suite names each phase of its work (connections opened, round trips
 * answered…) and hands over functions that read the counters its loops keep
 * anyway; a sampler calls `read()` a few times a second. Nothing here runs per
 * message: the hot path pays for none of it.
 */
import type { Histogram } from "../model/histogram.ts";
import type { ErrorTally } from "../load/error-tally.ts";

/** One phase as counted so far; `latency` is its running histogram, read in place. */
export type PhaseReading = { label: string; planned: number; done: number; latency?: Histogram };

/** Everything counted so far in this process: its phases in the order they started, errors, open sockets, proxied bytes. */
export type TallyReading = { phases: PhaseReading[]; errors: number; sockets: number; bytes?: number };

/** Hands a phase the reader of its done count and its running histogram: what `phase()` returns, what the loops call once. */
export type PhaseWatch = (done: () => number, latency?: Histogram) => void;

type Phase = { label: string; planned: number; done: () => number; latency?: Histogram };

/** the label of the phase of connections being opened */
export const OPENING = "connections opened";

export class LiveTally {
  /** what the suite exists to do, as its `answered` label says: the phase the last progress event reports */
  readonly answeredLabel: string;
  readonly #errors: ErrorTally;
  readonly #phases: Phase[] = [];
  readonly #sockets: Array<() => number> = [];
  #bytes: (() => number) | undefined;

  constructor(answeredLabel: string, errors: ErrorTally) {
    this.answeredLabel = answeredLabel;
    this.#errors = errors;
  }

  /**
   * A phase of `planned` things; the returned function takes the reader of
   * how many are done. A label given again replaces the phase it named.
   */
  phase(label: string, planned: number): PhaseWatch {
    return (done, latency) => {
      const at = this.#phases.findIndex((p) => p.label === label);
      const phase = { label, planned, done, latency };
      if (at >= 0) this.#phases.splice(at, 1);
      this.#phases.push(phase);
    };
  }

  /** The phase of what the suite exists for (its `answered` label), over what the level planned. */
  answered(planned: number): PhaseWatch {
    return this.phase(this.answeredLabel, planned);
  }

  /** A pool's reader of its sockets open now; the sockets of every pool add up. */
  sockets(read: () => number): void {
    this.#sockets.push(read);
  }

  /** The reader of the bytes a counting proxy has seen so far. */
  bytes(read: () => number): void {
    this.#bytes = read;
  }

  read(): TallyReading {
    let sockets = 0;
    for (const read of this.#sockets) sockets += read();
    const phases = this.#phases.map((p) => ({ label: p.label, planned: p.planned, done: p.done(), latency: p.latency }));
    return { phases, errors: this.#errors.count(), sockets, ...(this.#bytes ? { bytes: this.#bytes() } : {}) };
  }
}
