/**
 * A suite's progress merged over the processes that load it: each share
 * (this process, or a worker) reports what it counted so far, and the merge
 * sums the counts of one phase, merges its histograms exactly and derives
 * the rate and the ETA. Nothing is reported until every share has reported
 * (a worker still starting would make the planned total grow), and while
 * shares are in different phases, the phase shown is the one the furthest
 * behind is in, so every share counts in it and its total never shrinks.
 */
import { Histogram } from "../model/histogram.ts";
import type { ShareProgressJson, SuiteProgress } from "../model/suite-progress.ts";
import type { TallyReading } from "../suites/live-tally.ts";

/** What one share counted so far, with its phases' running histograms. */
export type ShareReading = TallyReading & { cpuPct: number; lagMs: number };

type Phase = { planned: number; done: number; latency?: Histogram };
type Share = {
  phases: Map<string, Phase>;
  current: string;
  errors: number;
  sockets: number;
  bytes?: number;
  cpuPct: number;
  lagMs: number;
};

export class ProgressMerge {
  readonly #answered: string;
  readonly #expected: number;
  readonly #started: number;
  readonly #shares = new Map<number, Share>();
  /** every label in the order a share first reported it */
  readonly #order: string[] = [];
  /** when each label was first seen, taken as the tick before it (the phase began somewhere in between) */
  readonly #firstSeen = new Map<string, number>();
  #last: { phase: string; done: number; at: number } | undefined;
  #lastEventAt: number;

  /** `answered`: the label of the suite's main phase, which the final event reports; `shares`: how many will report */
  constructor(answered: string, shares: number, startedAt = performance.now()) {
    this.#answered = answered;
    this.#expected = shares;
    this.#started = startedAt;
    this.#lastEventAt = startedAt;
  }

  /** The latest reading of share `index`; a phase read without a histogram keeps the one it had. */
  update(index: number, reading: ShareReading): void {
    if (reading.phases.length === 0) return;
    const old = this.#shares.get(index);
    const phases = new Map<string, Phase>();
    for (const p of reading.phases) {
      phases.set(p.label, { planned: p.planned, done: p.done, latency: p.latency ?? old?.phases.get(p.label)?.latency });
      if (!this.#order.includes(p.label)) this.#order.push(p.label), this.#firstSeen.set(p.label, this.#lastEventAt);
    }
    const { errors, sockets, bytes, cpuPct, lagMs } = reading;
    this.#shares.set(index, { phases, current: reading.phases[reading.phases.length - 1].label, errors, sockets, bytes, cpuPct, lagMs });
  }

  /**
   * The progress so far, or undefined before every share has begun a phase;
   * `final` reports the main phase once the wire layer is over, with what
   * every share that reported counted.
   */
  event(final: boolean, now = performance.now()): SuiteProgress | undefined {
    const shares = [...this.#shares.values()];
    if (shares.length === 0 || (!final && shares.length < this.#expected)) return undefined;
    const label = final && shares.some((s) => s.phases.has(this.#answered)) ? this.#answered : this.#behind(shares);
    let done = 0;
    let planned = 0;
    const histograms: Histogram[] = [];
    for (const s of shares) {
      const p = s.phases.get(label);
      if (!p) continue;
      done += p.done;
      planned += p.planned;
      if (p.latency && p.latency.count > 0) histograms.push(p.latency);
    }
    const since = now - (this.#firstSeen.get(label) ?? this.#started);
    const mean = since > 0 ? done / since : 0;
    // the final event's rate is the phase's mean: the interval before it may be a few milliseconds
    const last = !final && this.#last?.phase === label ? this.#last : { done: 0, at: now - since };
    const perSecond = now > last.at ? ((done - last.done) * 1000) / (now - last.at) : 0;
    this.#last = { phase: label, done, at: now };
    this.#lastEventAt = now;
    const sum = (pick: (s: Share) => number): number => shares.reduce((n, s) => n + pick(s), 0);
    const bytes = shares.some((s) => s.bytes !== undefined) ? sum((s) => s.bytes ?? 0) : undefined;
    return {
      phase: label,
      done,
      planned,
      perSecond: Math.max(0, perSecond),
      ...(mean > 0 && planned >= done ? { etaMs: (planned - done) / mean } : {}),
      elapsedMs: now - this.#started,
      errors: sum((s) => s.errors),
      sockets: sum((s) => s.sockets),
      ...(bytes !== undefined ? { bytes } : {}),
      ...(histograms.length > 0 ? { latencyMs: latencyOf(histograms) } : {}),
      generator: {
        cpuPct: Math.max(...shares.map((s) => s.cpuPct)),
        lagMs: Math.max(...shares.map((s) => s.lagMs)),
        processes: shares.length,
      },
      final,
    };
  }

  /** The phase of the share furthest behind: the earliest, in the order phases first appeared, that any share is still in. */
  #behind(shares: Share[]): string {
    return this.#order[Math.min(...shares.map((s) => this.#order.indexOf(s.current)))];
  }
}

function latencyOf(histograms: Histogram[]): SuiteProgress["latencyMs"] {
  // one process's histogram is read in place; several are merged into a copy
  const h = histograms.length === 1
    ? histograms[0]
    : histograms.reduce((all, x) => all.merge(x), new Histogram(histograms[0].subBucketBits));
  const ms = (ns: number): number => ns / 1e6;
  return { p50: ms(h.percentile(50)), p95: ms(h.percentile(95)), p99: ms(h.percentile(99)), max: ms(h.max), samples: h.count };
}

/**
 * A share's reading as a worker sends it: a histogram only when its count
 * moved since the last one sent (`sent` remembers, by phase label).
 */
export function readingToJson(reading: ShareReading, sent: Map<string, number>): ShareProgressJson {
  const phases = reading.phases.map((p) => {
    const moved = p.latency !== undefined && p.latency.count !== sent.get(p.label);
    if (moved) sent.set(p.label, p.latency!.count);
    return { label: p.label, planned: p.planned, done: p.done, ...(moved ? { latency: p.latency!.toJSON() } : {}) };
  });
  const { errors, sockets, bytes, cpuPct, lagMs } = reading;
  return { phases, errors, sockets, ...(bytes !== undefined ? { bytes } : {}), cpuPct, lagMs };
}

/** A worker's reading back: throws (`Histogram.fromJSON`) when a histogram's parts disagree. */
export function readingFromJson(json: ShareProgressJson): ShareReading {
  return { ...json, phases: json.phases.map((p) => ({ ...p, latency: p.latency ? Histogram.fromJSON(p.latency) : undefined })) };
}
