/**
 * @module
 * A load-generator worker: runs one share of a suite's wire layer at a time
 * for the runner that spawned it (`run/worker-pool.ts`), over JSON lines on
 * stdin and stdout, reporting its progress while it runs when asked to. It
 * exits when its stdin closes.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { currentPlatform } from "../host/host-platform.ts";
import { checkMessage, type FromWorker, type ToWorker, ToWorkerSchema } from "../run/worker-messages.ts";
import { engineContext, samplerOf } from "../run/run-suite.ts";
import { SuiteRecorder, SUITES } from "../suites/mod.ts";
import { answeredOf, suiteNamed } from "../suites/suite-table.ts";
import type { Scenario } from "../suites/scenario-definition.ts";
import { everyInterval, type IntervalLoad } from "../run/progress-timer.ts";
import { readingToJson, type SentHistograms } from "../run/progress-merge.ts";

const platform = await currentPlatform();
const send = (message: FromWorker): void => void process.stdout.write(JSON.stringify(message) + "\n");
const releases = new Map<number, () => void>();
const capacities = new Map<number, (perSec: number) => void>();
const aborts = new Map<number, AbortController>();

async function runWire(task: Extract<ToWorker, { type: "wire" }>): Promise<void> {
  const record = new SuiteRecorder(answeredOf(task.suite));
  const controller = new AbortController();
  const stopProgress = task.progress ? reportProgress(task.id, record) : () => {};
  aborts.set(task.id, controller);
  const sampleLoad = samplerOf(platform);
  const stopSampling = sampleLoad();
  const unwatch = record.stopOn(controller.signal);
  let failure: string | undefined;
  try {
    // the runner checked the plan's profile can be loaded here: a built-in name or a module path
    const profile = await platform.loadProfile(task.plan.profile?.module ?? "wsstress");
    // a scenario's code comes from the module the plan names, as the profile's does
    const ref = task.plan.scenarios?.find((s) => s.name === task.suite);
    const scenarios = new Map<string, Scenario<unknown>>();
    if (ref?.module) scenarios.set(ref.name, await platform.loadScenario(ref.module));
    await suiteNamed(task.suite, scenarios).wire({
      profile,
      connection: task.connection,
      runtime: platform.runtime,
      share: task.share,
      serverDeflate: task.serverDeflate,
      level: task.level,
      plan: task.plan,
      signal: controller.signal,
      record,
      peak: () =>
        new Promise<void>((resolve) => {
          releases.set(task.id, resolve);
          send({ type: "peak", id: task.id });
        }),
      capacity: (ops, startMs, endMs) =>
        new Promise<number>((resolve) => {
          capacities.set(task.id, resolve);
          send({ type: "capacity", id: task.id, ops, startMs, endMs });
        }),
      sampleLoad,
      countingProxy: platform.countingProxy,
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    record.errors.add("wire_error", failure);
  }
  unwatch();
  stopProgress();
  aborts.delete(task.id);
  failure ??= record.failure;
  const stopped = record.stopNote();
  const notes = stopped ? [...record.notes, stopped] : record.notes;
  const errors = record.errors.list();
  const load = { ...stopSampling(), phases: record.phases };
  send({ type: "done", id: task.id, facts: record.toFacts(), errors, notes, load, ...(failure ? { failure } : {}) });
}

/** One suite's engine layer, timed here: a fresh process that holds no socket and no garbage of the load. */
async function runEngine(task: Extract<ToWorker, { type: "engine" }>): Promise<void> {
  const record = new SuiteRecorder();
  const stopSampling = samplerOf(platform)();
  let failure: string | undefined;
  try {
    await SUITES[task.suite].engine!(engineContext(platform, task.plan, task.level, record));
  } catch (error) {
    failure = `engine layer: ${error instanceof Error ? error.message : String(error)}`;
    record.errors.add("engine_error", failure);
  }
  send({
    type: "done",
    id: task.id,
    facts: record.toFacts(),
    errors: record.errors.list(),
    notes: record.notes,
    load: stopSampling(),
    ...(failure ? { failure } : {}),
  });
}

/** Sends what the share counted every interval, and once more when stopped (before `done`, so the runner has the final counts). */
function reportProgress(id: number, record: SuiteRecorder): () => void {
  const sent: SentHistograms = new Map();
  let load: IntervalLoad = { cpuPct: 0, lagMs: 0 };
  const report = (): void => send({ type: "progress", id, reading: readingToJson({ ...record.live.read(), ...load }, sent) });
  const stop = everyInterval(platform.cpuMicros, (now) => {
    load = now;
    report();
  });
  return () => {
    stop();
    report();
  };
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const checked = checkMessage(ToWorkerSchema, parseJson(line));
  if (checked.problem !== undefined) {
    // only a runner of another version, or something that is not a runner, sends this: stop, and say why
    console.error(`wsstress worker: not a message of the worker protocol: ${checked.problem}`);
    process.exit(2);
  }
  const message = checked.message;
  if (message.type === "wire") void runWire(message);
  else if (message.type === "engine") void runEngine(message);
  else if (message.type === "release") releases.get(message.id)?.(), releases.delete(message.id);
  else if (message.type === "capacity") capacities.get(message.id)?.(message.perSec), capacities.delete(message.id);
  else aborts.get(message.id)?.abort();
});
// the runner went away: nothing left to do
lines.on("close", () => process.exit(0));

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}
