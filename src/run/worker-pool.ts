/**
 * Load-generator worker processes, started on demand and kept for the run.
 * `runShares` hands each worker one share of a suite's wire layer, holds them
 * all at the peak barrier until the servers have been measured, and collects
 * what each one measured; a worker that dies is counted, never waited for.
 */
import type { Plan, SuiteId } from "../model/result.ts";
import type { Share } from "../load/placement.ts";
import type { ConnectionSettings } from "../profiles/connection-settings.ts";
import type { Level } from "../model/levels.ts";
import type { WorkerHandle } from "../model/runtime-contract.ts";
import type { Platform } from "./platform.ts";
import { checkMessage, type FromWorker, FromWorkerSchema, type ToWorker } from "./worker-messages.ts";
import { readingFromJson, type ShareReading } from "./progress-merge.ts";

type Done = Extract<FromWorker, { type: "done" }>;
type Waiting = { onPeak(): void; onProgress?(reading: ShareReading): void; resolve(done: Done): void };

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

  run(task: Extract<ToWorker, { type: "wire" }>, onPeak: () => void, onProgress?: (reading: ShareReading) => void): Promise<Done> {
    if (this.#gone) return Promise.resolve(lost(task.id, this.#gone));
    return new Promise((resolve) => {
      this.#waiting.set(task.id, { onPeak, onProgress, resolve });
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
   * Runs every share at once, one per worker. When every worker has reached the
   * peak (or finished early), `atPeak` runs, then all are released. With
   * `onProgress`, each worker reports what its share counted a few times a
   * second, the last time right before it is done.
   */
  async runShares(
    task: ShareTask,
    atPeak: () => Promise<void>,
    signal: AbortSignal,
    onProgress?: (share: number, reading: ShareReading) => void,
  ): Promise<Done[]> {
    const links = await this.#ensure(task.shares.length);
    const ids = links.map(() => this.#nextId++);
    let pending = links.length;
    let peaked = false;
    const release = async (): Promise<void> => {
      if (peaked) return;
      peaked = true;
      await atPeak();
      links.forEach((link, i) => link.send({ type: "release", id: ids[i] }));
    };
    const arrived = (): void => {
      if (--pending === 0) void release();
    };
    const onAbort = (): void => links.forEach((link, i) => link.send({ type: "abort", id: ids[i] }));
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await Promise.all(
        links.map((link, i) => {
          let counted = false;
          const once = (): void => {
            if (!counted) (counted = true), arrived();
          };
          const { suite, level, plan, serverDeflate, connection } = task;
          const share = task.shares[i];
          const progress = onProgress !== undefined;
          const wire = { type: "wire", id: ids[i], suite, level, plan, share, serverDeflate, connection, progress } as const;
          return link.run(wire, once, onProgress && ((reading) => onProgress(i, reading))).then((done) => {
            once();
            return done;
          });
        }),
      );
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#links.map((l) => l.stop()));
    this.#links.length = 0;
  }
}
