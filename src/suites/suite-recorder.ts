/**
 * Collects what a suite measures, as it measures it, so a suite that throws
 * part-way keeps every figure it had. It records facts (`model/facts.ts`), which
 * merge exactly across worker processes; `metrics()` turns them into judged
 * metrics, with labels, units and thresholds from the catalogue
 * (`suites/metric-catalogue.ts`), the one place they are written.
 */
import type { Histogram } from "../model/histogram.ts";
import { ErrorTally } from "../load/error-tally.ts";
import type { Layer } from "../model/result.ts";
import { type Fact, type Facts, spreadOf } from "../model/facts.ts";
import { LiveTally } from "./live-tally.ts";

/** the fact every suite records of what it exists to measure: done over planned, as a percent */
export const ANSWERED = "answered_pct";

export class SuiteRecorder {
  readonly facts: Fact[] = [];
  readonly latencies: Facts["latencies"] = {};
  readonly errors = new ErrorTally();
  readonly notes: string[] = [];
  /** what the suite has done so far, read a few times a second for the progress events */
  readonly live: LiveTally;
  /** why the suite failed although it threw nothing (the server closed every connection under it); the first reason wins */
  failure: string | undefined;

  /** `answered`: the suite's own label of what it exists to do (`Suite.answered`), which names its main phase */
  constructor(answered = "work done") {
    this.live = new LiveTally(answered, this.errors);
  }

  /**
   * A number of things that adds up across shares: failures, lost deliveries.
   * `of` is how many things it was counted over: a count over nothing has no
   * samples and is never judged. A negative count is a bug of ours: refused.
   */
  count(layer: Layer, key: string, value: number, of?: number): void {
    if (value < 0 || (of !== undefined && of < 0)) {
      const counted = `${value}${of === undefined ? "" : ` of ${of}`}`;
      return this.errors.add("negative_count", `${layer} ${key} came out as ${counted}: a bookkeeping bug in wsstress`);
    }
    this.facts.push({ kind: "count", layer, key, value, ...(of === undefined ? {} : { of }) });
  }

  /** `ops` done between two wall-clock instants (epoch ms) */
  rate(layer: Layer, key: string, ops: number, startMs: number, endMs: number): void {
    this.facts.push({ kind: "rate", layer, key, ops, startMs, endMs });
  }

  /** a figure whose worst share is what counts: a lag, a peak */
  max(layer: Layer, key: string, value: number): void {
    this.facts.push({ kind: "max", layer, key, value });
  }

  ratio(layer: Layer, key: string, numerator: number, denominator: number): void {
    this.facts.push({ kind: "ratio", layer, key, numerator, denominator });
  }

  /**
   * How much of what the level planned was done: connections opened,
   * requests answered, deliveries received. Nothing done means the suite
   * could not measure what it exists for; less than all makes its latency
   * percentiles ❌. Not recorded once the user stopped the run: the rest was
   * never given the chance.
   */
  answered(done: number, planned: number): void {
    if (!this.errors.stopped) this.ratio("wire", ANSWERED, 100 * done, planned);
  }

  /** how evenly `values` (one per connection, say) are spread: reported as min, max and coefficient of variation */
  spread(layer: Layer, key: string, values: ArrayLike<number>): void {
    this.facts.push(spreadOf(layer, key, values));
  }

  /** a figure measured once, here (an engine timing, a fraction of one run) */
  value(layer: Layer, key: string, value: number): void {
    this.facts.push({ kind: "value", layer, key, value });
  }

  /** a wire latency histogram (ns); reported as p50/p95/p99/max in ms */
  latency(name: string, histogram: Histogram): void {
    this.facts.push({ kind: "latency", layer: "wire", key: name });
    this.latencies[name] = histogram.toJSON();
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** the suite cannot finish what it set out to do, though it threw nothing */
  fail(reason: string): void {
    this.failure ??= reason;
  }

  /** From the user's stop on, absence faults are not counted (see `ErrorTally.stop`); returns the function that stops watching. */
  stopOn(signal: AbortSignal): () => void {
    const stop = (): void => this.errors.stop();
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    return () => signal.removeEventListener("abort", stop);
  }

  /** The absence faults the stop explains, as a note; undefined when there were none. */
  stopNote(): string | undefined {
    const after = this.errors.afterStop();
    if (after.length === 0) return undefined;
    return `stopped by the user: not counted against the server: ${after.map((e) => `${e.class} × ${e.count}`).join(", ")}`;
  }

  toFacts(): Facts {
    return { facts: this.facts, latencies: this.latencies };
  }
}
