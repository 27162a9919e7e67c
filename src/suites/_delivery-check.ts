/**
 * Per-recipient bookkeeping for broadcast: which sequence numbers each
 * recipient has seen, so every lost, duplicated or out-of-order delivery is
 * counted rather than inferred from totals.
 */
import { Histogram } from "../model/histogram.ts";

export class DeliveryCheck {
  readonly latency = new Histogram();
  unique = 0;
  duplicated = 0;
  outOfOrder = 0;
  /** deliveries whose seq was never published, or whose publish stamp is no time */
  invalid = 0;
  /** publishes that reached at least one recipient: what stands in for acks when the server sends none */
  reached = 0;
  readonly #seen: Uint8Array;
  readonly #reached: Uint8Array;
  readonly #highest: Int32Array;
  readonly #publishes: number;

  /** `recipient` is a place 0 … recipients − 1, never a connection's index: connections that failed to open leave gaps in those */
  constructor(recipients: number, publishes: number) {
    this.#publishes = publishes;
    this.#seen = new Uint8Array(recipients * publishes);
    this.#reached = new Uint8Array(publishes);
    this.#highest = new Int32Array(recipients).fill(-1);
  }

  receive(recipient: number, seq: number, latencyNs: number): void {
    if (!(recipient >= 0 && recipient < this.#highest.length)) {
      throw new RangeError(`recipient ${recipient} is not one of the ${this.#highest.length} checked`);
    }
    if (!Number.isInteger(seq) || seq < 0 || seq >= this.#publishes || !Number.isFinite(latencyNs)) {
      this.invalid++;
      return;
    }
    const at = recipient * this.#publishes + seq;
    if (this.#seen[at]) {
      this.duplicated++;
      return;
    }
    this.#seen[at] = 1;
    this.unique++;
    if (!this.#reached[seq]) (this.#reached[seq] = 1), this.reached++;
    if (seq < this.#highest[recipient]) this.outOfOrder++;
    else this.#highest[recipient] = seq;
    // a stamp from a clock slightly ahead of ours (another process) is no negative latency
    this.latency.record(Math.max(0, latencyNs));
  }
}
