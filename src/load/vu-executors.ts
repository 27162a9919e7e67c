/**
 * The executors of the open and ramping models: when virtual users start.
 *
 * `arrival-rate` starts new virtual users on a schedule (arrivals per second,
 * constant or ramping linearly stage by stage), whether or not earlier ones
 * finished: an open model. Each arrival has an intended instant, from which
 * its connection is timed, so a server that stalls cannot hold the arrivals
 * back unseen (no coordinated omission); an arrival that finds every virtual
 * user of the share busy is dropped and counted.
 *
 * `ramping-vus` keeps the number of live virtual users on its stages' line;
 * one the line no longer wants finishes its iteration and goes.
 *
 * Both are bounded: the schedule has an end, and each virtual user its own bounds.
 */
import type { LoadModel } from "../model/scenario-plan.ts";
import { now } from "./clock.ts";

type Staged = Exclude<LoadModel, { executor: "closed" }>;

/** how often the schedulers wake: every arrival due by then starts in that tick */
const TICK_MS = 2;
const RAMP_TICK_MS = 10;

/** The schedule's length, ms. */
export const scheduleMs = (model: Staged): number => model.stages.reduce((sum, s) => sum + s.durationMs, 0);

/** The stages' line at `t` ms from the start: linear within each stage, from the previous stage's target. */
export function targetAt(model: Staged, t: number): number {
  let from = model.start;
  for (const s of model.stages) {
    if (t < s.durationMs) return from + ((s.target - from) * t) / s.durationMs;
    t -= s.durationMs;
    from = s.target;
  }
  return from;
}

/**
 * The instants of the arrivals, `scale` of the stages' rate: arrival k is due
 * when the arrivals so far, the integral of the rate, reach k. Returns how
 * many fall inside the schedule, and the instant (ms from the start) of each.
 */
export function arrivalSchedule(model: Staged, scale: number): { count: number; at(k: number): number } {
  const ends: Array<{ a0: number; t0: number; r0: number; r1: number; d: number }> = [];
  let a = 0, t = 0, r = model.start * scale;
  for (const s of model.stages) {
    const r1 = s.target * scale;
    ends.push({ a0: a, t0: t, r0: r, r1, d: s.durationMs / 1000 });
    a += ((r + r1) / 2) * (s.durationMs / 1000);
    t += s.durationMs / 1000;
    r = r1;
  }
  // arrivals at A(t) = 0, 1, …: the last one strictly before the end (a whole total would land on it)
  const count = Math.max(0, Math.ceil(a - 1e-9));
  const at = (k: number): number => {
    const s = ends.findLast((e) => e.a0 <= k) ?? ends[0];
    // within the stage the rate is r0 + (r1 − r0)·τ/d, so A = a0 + r0·τ + (r1 − r0)·τ²/(2d): solve for τ
    const need = k - s.a0, slope = (s.r1 - s.r0) / (2 * s.d);
    const tau = Math.abs(slope) < 1e-12
      ? (s.r0 > 0 ? need / s.r0 : 0)
      : (-s.r0 + Math.sqrt(Math.max(0, s.r0 * s.r0 + 4 * slope * need))) / (2 * slope);
    return (s.t0 + Math.min(tau, s.d)) * 1000;
  };
  return { count, at };
}

export type ArrivalOutcome = { planned: number; started: number; dropped: number; maxLagMs: number };

/**
 * Starts `start(k, intended)` for every arrival of the schedule, at most
 * `cap` running at once; resolves when the schedule is over and every
 * virtual user it started is done. `intended` is a `now()` instant.
 */
export function runArrivals(
  model: Staged,
  spec: { scale: number; cap: number; signal: AbortSignal; start(k: number, intended: number): Promise<void> },
): Promise<ArrivalOutcome> {
  const schedule = arrivalSchedule(model, spec.scale);
  const outcome: ArrivalOutcome = { planned: schedule.count, started: 0, dropped: 0, maxLagMs: 0 };
  const running = new Set<Promise<void>>();
  const t0 = now();
  let k = 0;
  return new Promise((resolve) => {
    const tick = (): void => {
      const t = now();
      while (k < schedule.count && !spec.signal.aborted && t0 + schedule.at(k) <= t) {
        const intended = t0 + schedule.at(k);
        outcome.maxLagMs = Math.max(outcome.maxLagMs, t - intended);
        if (running.size >= spec.cap) outcome.dropped++;
        else {
          outcome.started++;
          const life = spec.start(k, intended).finally(() => running.delete(life));
          running.add(life);
        }
        k++;
      }
      if (k < schedule.count && !spec.signal.aborted) return;
      clearInterval(ticker);
      void Promise.all(running).then(() => resolve(outcome));
    };
    const ticker = setInterval(tick, TICK_MS);
    tick();
  });
}

/**
 * Keeps `round(line × scale)` virtual users live (at most `cap`) for the
 * schedule's length: slot `s` runs while the line is above it; `keep()` tells
 * its virtual user whether to begin another iteration. A virtual user that
 * ended on its own (its bounds, its connection) leaves its slot empty.
 */
export function runRampingVus(
  model: Staged,
  spec: { scale: number; cap: number; signal: AbortSignal; start(slot: number, keep: () => boolean): Promise<void> },
): Promise<{ started: number }> {
  const total = scheduleMs(model);
  const slots: Array<"running" | "released" | "ended" | undefined> = [];
  const running = new Set<Promise<void>>();
  const t0 = now();
  let wanted = 0;
  let over = false;
  let started = 0;
  return new Promise((resolve) => {
    const tick = (): void => {
      const t = now() - t0;
      over = t >= total || spec.signal.aborted;
      wanted = over ? 0 : Math.min(spec.cap, Math.round(targetAt(model, t) * spec.scale));
      for (let s = 0; s < wanted; s++) {
        if (slots[s] === "running" || slots[s] === "ended") continue;
        slots[s] = "running";
        started++;
        const life = spec.start(s, () => !over && s < wanted)
          .finally(() => {
            running.delete(life);
            slots[s] = s < wanted && !over ? "ended" : "released";
          });
        running.add(life);
      }
      if (!over) return;
      clearInterval(ticker);
      void Promise.all(running).then(() => resolve({ started }));
    };
    const ticker = setInterval(tick, RAMP_TICK_MS);
    tick();
  });
}
