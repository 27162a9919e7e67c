/**
 * The two measurements of a request/reply suite: capacity, then latency at
 * load. The capacity phase is a closed loop (`window` requests in flight per
 * connection); its throughput is the capacity and its latency the queue it
 * built (in flight ÷ throughput, Little's law). Once every share has finished
 * it, the paced phase sends at a stated load, `PACE_PCT` % of the level's
 * capacity just measured (or the user's `--rate`), for a bounded time, each
 * request timed from its own intended send time: that latency is the one
 * thresholds judge. The load generator's own figures are sampled per phase.
 */
import type { Level } from "../model/levels.ts";
import { type OpenLoopSpec, runOpenLoop } from "../load/open-loop.ts";
import type { LoadConnection } from "../load/pool.ts";
import type { GeneratorPhase } from "../model/result.ts";
import type { SuiteContext } from "./suite.ts";

/** the paced phase's load, as a share of the capacity just measured */
export const PACE_PCT = 50;
/** the paced phase lasts long enough for this many samples (a p99 is judged from 1,000), within these bounds */
export const PACED_SAMPLES = 2_000;
export const PACED_MIN_MS = 1_000;
export const PACED_MAX_MS = 5_000;

/** Runs `body` while sampling this process's load, kept as the generator's figures for `phase`. */
export async function inPhase<T>(ctx: SuiteContext, phase: GeneratorPhase, body: () => Promise<T>): Promise<T> {
  const stop = ctx.sampleLoad();
  try {
    return await body();
  } finally {
    ctx.record.phase(phase, stop());
  }
}

/** What a closed loop reports that the capacity barrier needs. */
type Span = { completed: number; startedMs: number; endedMs: number };

/**
 * Records a finished capacity phase's in-flight requests and waits for every share's: resolves the level's
 * capacity per second. `connections` opened here, `window` requests in flight on each.
 */
export function capacityOf(ctx: SuiteContext, outcome: Span, connections: number, window: number): Promise<number> {
  ctx.record.count("wire", "in_flight", connections * window);
  return ctx.capacity(outcome.completed, outcome.startedMs, outcome.endedMs);
}

/**
 * The paced requests this share will send, when known before its capacity is
 * measured (the user's rate): the capacity phase counts them in its planned
 * total from the start. Without a rate set, the total grows once, when the
 * paced phase begins.
 */
export const pacedAhead = (ctx: SuiteContext, levelConnections: number, userRate?: number): number =>
  userRate === undefined ? 0 : pacedPlan(ctx, 0, levelConnections, userRate)?.total ?? 0;

/** The paced phase of this share: its rate and request count, or why there is none. */
export type PacedPlan = { levelRate: number; rate: number; total: number; durationMs: number; user: boolean };

/** The level's paced rate (the user's, or PACE_PCT % of its capacity), this share's part of it, and how many requests. */
export function pacedPlan(ctx: SuiteContext, levelCapacity: number, levelConnections: number, userRate?: number): PacedPlan | undefined {
  const levelRate = userRate ?? (levelCapacity * PACE_PCT) / 100;
  if (!(levelRate > 0) || ctx.signal.aborted) return undefined;
  const durationMs = Math.min(PACED_MAX_MS, Math.max(PACED_MIN_MS, (PACED_SAMPLES / levelRate) * 1_000));
  const rate = (levelRate * ctx.share.count) / levelConnections;
  const total = Math.max(1, Math.round((rate * durationMs) / 1_000));
  return { levelRate, rate, total, durationMs, user: userRate !== undefined };
}

export type PacedSpec = Pick<OpenLoopSpec, "request" | "reply"> & {
  /** the latency histogram's fact name, e.g. `rtt` */
  key: string;
  /** what is paced, for the note: "round trips", "subscribe/unsubscribe requests" */
  what: string;
};

/**
 * Runs the paced phase on `connections`: records its latency as `spec.key` (unless `recordLatency` is false:
 * `reply` records it), its achieved rate as `paced_per_s`, and the generator's send lag (p99 and max, the worst share's).
 */
export async function pacedPhase(
  ctx: SuiteContext,
  connections: LoadConnection[],
  plan: PacedPlan,
  spec: PacedSpec,
  recordLatency = true,
): Promise<void> {
  const { record } = ctx;
  // one progress count over both phases: the capacity phase's answered, then these (counted ahead when the user set the rate)
  const watch = record.live.continueAnswered(plan.user ? 0 : plan.total);
  const { total, rate } = plan;
  const outcome = await inPhase(
    ctx,
    "latency",
    () => runOpenLoop(connections, { total, rate, stallMs: ctx.plan.timeoutMs, signal: ctx.signal, errors: record.errors, watch, ...spec }),
  );
  if (recordLatency) record.latency(spec.key, outcome.latency);
  // the paced requests are planned work too: one that never came back leaves the share below 100 %
  record.answered(outcome.completed, plan.total);
  record.rate("wire", "paced_per_s", outcome.completed, outcome.startedMs, outcome.endedMs);
  if (outcome.sendLag.count > 0) {
    record.max("wire", "send_lag_p99_ms", outcome.sendLag.percentile(99) / 1e6);
    record.max("wire", "send_lag_max_ms", outcome.sendLag.max / 1e6);
  }
  const at = plan.user ? "the rate asked for (--rate)" : `${PACE_PCT} % of the capacity just measured`;
  record.note(
    `latency at load: ${spec.what} paced at ${Math.round(plan.levelRate).toLocaleString("en-US")}/s over the level (${at}) ` +
      `for ${
        (plan.durationMs / 1_000).toFixed(1)
      } s, each timed from its own intended send time; the closed loop's latencies are its queue`,
  );
}

/** The level's connections a suite spreads its shares over. */
export const levelConnections = (level: Level, connectionsAt?: (level: Level) => number): number =>
  connectionsAt?.(level) ?? level.connections;
