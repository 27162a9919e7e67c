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
  /** the latest a second copy came after its publish: how long a run's tail must listen for the next one */
  slowestDuplicateNs = 0;
  /**
   * By delivery class (MQTT's QoS 0 and QoS 1): class `k` owns the seqs `k × perClass` up to the next class's;
   * one class, the whole run, when the profile has none
   */
  readonly uniqueBy: number[];
  readonly duplicatedBy: number[];
  readonly latencyBy: Histogram[];
  readonly #perClass: number;
  readonly #seen: Uint8Array;
  readonly #reached: Uint8Array;
  readonly #highest: Int32Array;
  readonly #publishes: number;

  /** `recipient` is a place 0 … recipients − 1, never a connection's index: connections that failed to open leave gaps in those */
  constructor(recipients: number, publishes: number, classes = 1) {
    this.#publishes = publishes;
    this.#perClass = Math.ceil(publishes / classes);
    this.uniqueBy = new Array<number>(classes).fill(0);
    this.duplicatedBy = new Array<number>(classes).fill(0);
    this.latencyBy = classes === 1 ? [this.latency] : Array.from({ length: classes }, () => new Histogram());
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
    const cls = (seq / this.#perClass) | 0;
    if (this.#seen[at]) {
      this.duplicated++;
      this.duplicatedBy[cls]++;
      this.slowestDuplicateNs = Math.max(this.slowestDuplicateNs, latencyNs);
      return;
    }
    this.#seen[at] = 1;
    this.unique++;
    this.uniqueBy[cls]++;
    if (!this.#reached[seq]) (this.#reached[seq] = 1), this.reached++;
    if (seq < this.#highest[recipient]) this.outOfOrder++;
    else this.#highest[recipient] = seq;
    // a stamp from a clock slightly ahead of ours (another process) is no negative latency
    const ns = Math.max(0, latencyNs);
    this.latency.record(ns);
    if (this.latencyBy.length > 1) this.latencyBy[cls].record(ns);
  }
}
