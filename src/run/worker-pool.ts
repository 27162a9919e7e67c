/**
 * Load-generator worker processes, started on demand and kept for the run.
 * `runShares` hands each worker one share of a suite's wire layer, holds them
 * all at the peak barrier until the servers have been measured, and collects
 * what each one measured; a worker that dies is counted, never waited for.
 */
import type { Plan, SuiteId, SuiteName } from "../model/result.ts";
import type { Share } from "../load/placement.ts";
import type { ConnectionSettings } from "../profiles/connection-settings.ts";
import type { Level } from "../model/levels.ts";
import type { WorkerHandle } from "../model/runtime-contract.ts";
import type { Platform } from "./platform.ts";
import { checkMessage, type FromWorker, FromWorkerSchema, type ToWorker } from "./worker-messages.ts";
import { readingFromJson, type ShareReading } from "./progress-merge.ts";

export type Done = Extract<FromWorker, { type: "done" }>;
type Span = { ops: number; startMs: number; endMs: number };
type Waiting = { onPeak(): void; onCapacity(span: Span): void; onProgress?(reading: ShareReading): void; resolve(done: Done): void };

class WorkerLink {
  readonly #handle: WorkerHandle;
  readonly #waiting = new Map<number, Waiting>();
  #gone: string | undefined;

  constructor(handle: WorkerHandle) {
    this.#handle = handle;
    handle.listen(
      (raw) => {
        const checked = checkMessage(FromWorkerSchema, raw);
        // a worker that speaks nonsense cannot be trusted with what it measured: it is lost, and stopped
        if (checked.problem !== undefined) return this.#lose(`it sent a message that is not the worker protocol's (${checked.problem})`);
        const m = checked.message;
        const waiting = this.#waiting.get(m.id);
        if (!waiting) return;
        if (m.type === "peak") return waiting.onPeak();
        if (m.type === "capacity") return waiting.onCapacity(m);
        if (m.type === "progress") return this.#progress(waiting, m.reading);
        this.#waiting.delete(m.id);
        waiting.resolve(m);
      },
      (why) => this.#lose(why),
    );
  }

  /** a histogram whose parts disagree is a message outside the protocol too */
  #progress(waiting: Waiting, json: Extract<FromWorker, { type: "progress" }>["reading"]): void {
    let reading: ShareReading;
    try {
      reading = readingFromJson(json);
    } catch (error) {
      return this.#lose(`it sent a progress message that is not the worker protocol's (${(error as Error).message})`);
    }
    waiting.onProgress?.(reading);
  }

  #lose(why: string): void {
    if (this.#gone) return;
    this.#gone = why;
    for (const [id, waiting] of this.#waiting) waiting.resolve(lost(id, why));
    this.#waiting.clear();
    void this.#handle.stop();
  }

  get pid(): number {
    return this.#handle.pid;
  }

  run(
    task: Extract<ToWorker, { type: "wire" | "engine" }>,
    onPeak = (): void => {},
    onCapacity = (_: Span): void => {},
    onProgress?: (reading: ShareReading) => void,
  ): Promise<Done> {
    if (this.#gone) return Promise.resolve(lost(task.id, this.#gone));
    return new Promise((resolve) => {
      this.#waiting.set(task.id, { onPeak, onCapacity, onProgress, resolve });
      this.#handle.send(task);
    });
  }

  send(message: ToWorker): void {
    if (!this.#gone) this.#handle.send(message);
  }

  stop(): Promise<void> {
    return this.#handle.stop();
  }
}

/** Runs `then` once `count` arrivals have been counted. */
function barrier(count: number, then: () => Promise<void>): () => void {
  let pending = count;
  return () => {
    if (--pending === 0) void then();
  };
}

/** Counts one arrival at most. */
function once(arrive: () => void): () => void {
  let counted = false;
  return () => {
    if (!counted) (counted = true), arrive();
  };
}

/** The level's capacity per second: every share's operations over the union of their spans. */
export function capacityOf(spans: readonly Span[]): number {
  if (spans.length === 0) return 0;
  const ops = spans.reduce((n, s) => n + s.ops, 0);
  const ms = Math.max(...spans.map((s) => s.endMs)) - Math.min(...spans.map((s) => s.startMs));
  return ms > 0 ? (ops * 1_000) / ms : 0;
}

function lost(id: number, why: string): Done {
  return {
    type: "done",
    id,
    facts: { facts: [], latencies: {} },
    errors: [{ class: "worker_lost", count: 1, message: `a load-generator worker went away: ${why}` }],
    notes: [],
    load: { cpuPct: 0, lagP99Ms: 0, lagMaxMs: 0, maxRssBytes: 0 },
    failure: why,
  };
}

export type ShareTask = {
  suite: SuiteId;
  level: Level;
  plan: Plan;
  shares: Share[];
  serverDeflate: boolean;
  connection: ConnectionSettings;
};

export class WorkerPool {
  readonly #platform: Platform;
  readonly #links: WorkerLink[] = [];
  #nextId = 1;

  constructor(platform: Platform) {
    this.#platform = platform;
  }

  get size(): number {
    return this.#links.length;
  }

  async #ensure(count: number): Promise<WorkerLink[]> {
    while (this.#links.length < count) this.#links.push(new WorkerLink(await this.#platform.startWorker()));
    return this.#links.slice(0, count);
  }

  /**
   * Runs every share at once, one per worker, with two barriers: when every
   * worker has reached the peak (or finished early), `atPeak` runs, then all are
   * released; when every worker has finished its capacity phase (or finished),
   * each is told the level's capacity (all operations over the union of the
   * spans), so the paced phases start together. With `onProgress`, each worker
   * reports what its share counted a few times a second, the last time right
   * before it is done.
   */
  async runShares(
    task: ShareTask,
    atPeak: () => Promise<void>,
    signal: AbortSignal,
    onProgress?: (share: number, reading: ShareReading) => void,
  ): Promise<Done[]> {
    const links = await this.#ensure(task.shares.length);
    const ids = links.map(() => this.#nextId++);
    const peak = barrier(links.length, async () => {
      await atPeak();
      links.forEach((link, i) => link.send({ type: "release", id: ids[i] }));
    });
    const spans: Span[] = [];
    const capacity = barrier(links.length, () => {
      const perSec = capacityOf(spans);
      links.forEach((link, i) => link.send({ type: "capacity", id: ids[i], perSec }));
      return Promise.resolve();
    });
    const onAbort = (): void => links.forEach((link, i) => link.send({ type: "abort", id: ids[i] }));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await Promise.all(
        links.map((link, i) => {
          const atPeakOnce = once(peak);
          const atCapacityOnce = once(capacity);
          const { suite, level, plan, serverDeflate, connection } = task;
          const share = task.shares[i];
          const progress = onProgress !== undefined;
          const wire = { type: "wire", id: ids[i], suite, level, plan, share, serverDeflate, connection, progress } as const;
          const onSpan = (span: Span): void => {
            spans.push(span);
            atCapacityOnce();
          };
          return link.run(wire, atPeakOnce, onSpan, onProgress && ((reading) => onProgress(i, reading))).then((done) => {
            // a share that finished early waits at neither barrier
            atPeakOnce();
            atCapacityOnce();
            return done;
          });
        }),
      );
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Times each suite's engine layer at `level`, one after another, in a worker started for the purpose and stopped
   * after: a process that holds no socket and none of the load's garbage, the same at every level.
   */
  async runEngines(plan: Plan, level: Level, suites: readonly SuiteName[]): Promise<Map<SuiteName, Done>> {
    const link = new WorkerLink(await this.#platform.startWorker());
    try {
      const done = new Map<SuiteName, Done>();
      for (const suite of suites) done.set(suite, await link.run({ type: "engine", id: this.#nextId++, suite, level, plan }));
      return done;
    } finally {
      await link.stop();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#links.map((l) => l.stop()));
    this.#links.length = 0;
  }
}
