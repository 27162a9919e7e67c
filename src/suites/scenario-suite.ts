/**
 * A user's scenario as a suite: at every level its virtual users run through
 * the run's profile, under the scenario's load model, and what they did is
 * recorded as facts (`scenario-facts.ts`) that merge exactly across worker
 * processes and shards. It has a wire layer only: there is no in-process
 * hot path of a user's flow to time.
 *
 * The scenario's settings are read from the plan (`plan.scenarios`), its code
 * from the scenario itself: the warm-up runs the same code on a plan of its own.
 */
import { msToNs, now } from "../load/clock.ts";
import type { ScenarioRef } from "../model/scenario-plan.ts";
import { ScenarioTally } from "../load/scenario-tally.ts";
import { Vu, type VuEnvironment } from "../load/virtual-user.ts";
import type { VuConnector } from "../load/vu-connector.ts";
import { runArrivals, runRampingVus } from "../load/vu-executors.ts";
import { runVuLife, type VuBounds } from "../load/vu-life.ts";
import { tokenOf } from "../profiles/connection-settings.ts";
import type { Profile } from "../profiles/profile.ts";
import { openShareConnector, openSharePool, withPool } from "./_connections.ts";
import { recordScenario } from "./scenario-facts.ts";
import type { Scenario } from "./scenario-definition.ts";
import type { MetricDeclarations } from "./metric-spec.ts";
import { SCENARIO_ANSWERED } from "./scenario-metrics.ts";
import type { Suite, SuiteContext } from "./suite.ts";

type Run = { ctx: SuiteContext; ref: ScenarioRef; scenario: Scenario<unknown>; env: VuEnvironment<unknown>; vus: Set<Vu<unknown>> };

/** The scenario's settings in the plan this context runs (the warm-up's are its own). */
function refIn(ctx: SuiteContext, name: string): ScenarioRef {
  const ref = ctx.plan.scenarios?.find((s) => s.name === name);
  if (!ref) throw new Error(`the plan has no scenario ${name}`);
  return ref;
}

/** One virtual user on an open connection, to the end of its life; stopped with the rest when the run stops. */
async function live(run: Run, vu: Vu<unknown>, bounds: VuBounds): Promise<void> {
  run.vus.add(vu);
  try {
    await runVuLife(vu, run.scenario, bounds, run.env.tally, run.env.errors);
  } finally {
    run.vus.delete(vu);
  }
}

/** Each closed-model virtual user's iterations: the scenario's count, else as many as its duration allows, else the level's messages. */
const closedIterations = (ctx: SuiteContext, ref: ScenarioRef): number =>
  ref.iterations ?? (ref.durationMs !== undefined ? Number.POSITIVE_INFINITY : ctx.level.messagesPerConnection);

/** The closed model: the share's connections opened as one pool, each a virtual user running its iterations. Resolves what was planned. */
function closed(run: Run): Promise<number> {
  const { ctx, ref, env } = run;
  const iterations = closedIterations(ctx, ref);
  return withPool(ctx, openSharePool(ctx, tokens(run)), async (pool) => {
    const deadline = ref.durationMs !== undefined ? now() + ref.durationMs : undefined;
    await Promise.all(pool.connections.map((conn) => live(run, new Vu(conn, env), { iterations, ...(deadline ? { deadline } : {}) })));
    const unopened = ctx.share.count - pool.connections.length;
    // a duration plans what the virtual users started, and one iteration for each that never opened
    return Number.isFinite(iterations) ? ctx.share.count * iterations : env.tally.iterationsStarted + unopened;
  });
}

/** A connection for a virtual user that arrives now; its connect time is counted from `intended`. */
async function arrive(run: Run, connector: VuConnector, index: number, intended: number): Promise<Vu<unknown> | undefined> {
  const conn = await connector.open(index);
  if (!conn) return undefined;
  run.env.tally.connect.record(msToNs(now() - intended));
  return new Vu(conn, run.env);
}

/** The open model: arrivals on the stages' schedule, each a new connection; planned: every scheduled arrival's iterations. */
async function arrivals(run: Run, model: Extract<ScenarioRef["load"], { executor: "arrival-rate" }>): Promise<number> {
  const { ctx, ref, env } = run;
  const connector = openShareConnector(ctx, tokens(run));
  const iterations = ref.iterations ?? 1;
  const outcome = await runArrivals(model, {
    scale: ctx.share.count / ctx.level.connections,
    cap: ctx.share.count,
    signal: ctx.signal,
    async start(k, intended) {
      // unique across the shares of a level: each share's arrivals step by the level's connections
      const vu = await arrive(run, connector, ctx.share.first + k * ctx.level.connections, intended);
      if (!vu) return;
      await live(run, vu, { iterations });
      connector.close(vu.connection);
    },
  });
  await connector.settle(ctx.plan.timeoutMs);
  env.tally.arrivalsDropped += outcome.dropped;
  if (outcome.dropped > 0) {
    env.errors.add(
      "arrival_dropped",
      `${outcome.dropped} arrivals found all ${ctx.share.count} virtual users of the share busy`,
      outcome.dropped,
    );
  }
  env.tally.startLagMs = Math.max(env.tally.startLagMs, outcome.maxLagMs);
  return outcome.planned * iterations;
}

/**
 * Ramping virtual users: slots live while the stages' line is above them; planned: what they started, and one for each
 * that never opened.
 */
async function ramping(run: Run, model: Extract<ScenarioRef["load"], { executor: "ramping-vus" }>): Promise<number> {
  const { ctx, ref, env } = run;
  const connector = openShareConnector(ctx, tokens(run));
  let unopened = 0;
  await runRampingVus(model, {
    scale: ctx.share.count / ctx.level.connections,
    cap: ctx.share.count,
    signal: ctx.signal,
    async start(slot, keep) {
      const vu = await arrive(run, connector, ctx.share.first + slot, now());
      if (!vu) return void unopened++;
      await live(run, vu, { iterations: ref.iterations ?? Number.POSITIVE_INFINITY, keep });
      connector.close(vu.connection);
    },
  });
  await connector.settle(ctx.plan.timeoutMs);
  return env.tally.iterationsStarted + unopened;
}

/** Whether a scenario's role means anything to `profile`: only a profile that authenticates sends a token. */
const authenticates = (profile: Profile): boolean => profile.operations.includes("authenticate");

/** Every virtual user authenticates with the scenario's role's token, when it names one and the profile authenticates. */
function tokens(run: Run): ((index: number) => string | undefined) | undefined {
  const role = run.ref.role;
  const token = role && authenticates(run.ctx.profile) ? tokenOf(run.ctx.profile, run.ctx.connection, role) : undefined;
  return token === undefined ? undefined : () => token;
}

/** A user's scenario as one more suite. */
export function scenarioSuite(scenario: Scenario<unknown>): Suite {
  return {
    name: scenario.name,
    metrics: {} satisfies MetricDeclarations,
    answered: SCENARIO_ANSWERED,
    description: `your scenario ${scenario.name}: virtual users running its flow, every verb timed`,
    shardable: true,
    unsupported(profile, connection) {
      const role = scenario.ref.role;
      if (!role || !authenticates(profile) || tokenOf(profile, connection, role) !== undefined) return undefined;
      return `the scenario authenticates as ${role}, and neither the ${profile.name} profile nor .tokens() gives that role a token`;
    },
    async wire(ctx) {
      const ref = refIn(ctx, scenario.name);
      const tally = new ScenarioTally(ref.metrics);
      const env: VuEnvironment<unknown> = {
        profile: ctx.profile,
        parse: scenario.parse,
        timeoutMs: ctx.plan.timeoutMs,
        inbox: ref.inbox,
        tally,
        errors: ctx.record.errors,
      };
      const run: Run = { ctx, ref, scenario, env, vus: new Set() };
      // progress: iterations completed over those planned, known up front for a closed count, else those started so far
      const iterations = () => tally.iterationsCompleted;
      const perVu = ref.load.executor === "closed" ? closedIterations(ctx, ref) : Number.POSITIVE_INFINITY;
      const upFront = Number.isFinite(perVu) ? ctx.share.count * perVu : () => tally.iterationsStarted;
      ctx.record.live.answered(upFront)(iterations, tally.iteration);
      const stop = (): void => run.vus.forEach((vu) => vu.stop("the run was stopped"));
      ctx.signal.addEventListener("abort", stop, { once: true });
      const load = ref.load;
      let planned: number | undefined;
      try {
        planned = load.executor === "closed"
          ? await closed(run)
          : load.executor === "arrival-rate"
          ? await arrivals(run, load)
          : await ramping(run, load);
      } finally {
        ctx.signal.removeEventListener("abort", stop);
        // what the virtual users did is kept even when the wire layer threw part-way
        recordScenario(ctx.record, tally, planned ?? tally.iterationsStarted, load.executor);
        // the final progress event counts over what the result does
        ctx.record.live.answered(planned ?? tally.iterationsStarted)(iterations, tally.iteration);
      }
    },
  };
}
