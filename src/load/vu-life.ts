/**
 * One virtual user's life on its connection: the scenario's `setup`, its
 * iterations of `run` (a count, a duration, or until its executor lets it
 * go), then `teardown`. An iteration counts as completed only when `run`
 * returned; one that threw is the scenario's error, counted with its first
 * message, and the next iteration goes on. A virtual user whose connection
 * closed, or whose run was stopped, stops where it is.
 */
import { epochMs, msToNs, now } from "./clock.ts";
import type { ErrorTally } from "./error-tally.ts";
import type { ScenarioTally } from "./scenario-tally.ts";
import type { VirtualUser, Vu } from "./virtual-user.ts";
import { countedAlready } from "./vu-errors.ts";

/** What a scenario's code does with a virtual user. */
export type VuScript<M> = {
  readonly name: string;
  setup?(vu: VirtualUser<M>): unknown;
  run(vu: VirtualUser<M>): unknown;
  teardown?(vu: VirtualUser<M>): unknown;
};

/** How long a virtual user iterates: at most `iterations`, until `deadline` (a `now()` instant), and while its executor keeps it. */
export type VuBounds = { iterations: number; deadline?: number; keep?: () => boolean };

/** The user's error in one line, named by scenario and phase. */
function describe(script: string, phase: string, error: unknown): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `scenario ${script}: ${phase} threw ${what}`.slice(0, 300);
}

/** Runs `phase` of the script; false when it threw (counted unless it was counted where it happened). */
async function attempt<M>(script: VuScript<M>, phase: string, body: () => unknown, errors: ErrorTally): Promise<boolean> {
  try {
    await body();
    return true;
  } catch (error) {
    if (!countedAlready(error)) errors.add("scenario_error", describe(script.name, phase, error));
    return false;
  }
}

/** Runs one virtual user to its end; resolves once its teardown is done (or skipped). */
export async function runVuLife<M>(
  vu: Vu<M>,
  script: VuScript<M>,
  bounds: VuBounds,
  tally: ScenarioTally,
  errors: ErrorTally,
): Promise<void> {
  tally.vuStarted(epochMs());
  try {
    const ready = script.setup ? await attempt(script, "setup", () => script.setup!(vu), errors) : true;
    // a virtual user whose setup failed cannot run its flow: its iterations are not done
    while (ready && vu.iteration < bounds.iterations && vu.stopped === undefined) {
      if ((bounds.deadline !== undefined && now() >= bounds.deadline) || (bounds.keep && !bounds.keep())) break;
      tally.iterationsStarted++;
      const t0 = now();
      const ok = await attempt(script, `iteration ${vu.iteration}`, () => script.run(vu), errors);
      if (ok) {
        tally.iterationsCompleted++;
        tally.iteration.record(msToNs(now() - t0));
      }
      vu.iteration++;
    }
    if (script.teardown && vu.stopped === undefined) await attempt(script, "teardown", () => script.teardown!(vu), errors);
  } finally {
    vu.finish();
    tally.vuEnded(epochMs());
  }
}
