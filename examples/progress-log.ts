// Forward a run's progress to a log another process can tail (tail -f wsstress-progress.log):
// one JSON line per event, the suites' own progress a few times a second among them.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { stress } from "../mod.ts";

const LOG = "wsstress-progress.log";
writeFileSync(LOG, "");

const report = await stress()
  .level("minimal")
  .suite("message")
  .rate(400) // latency at load at 400/s: after the 1,000 closed-loop round trips, 2,000 paced over 5 s, reported as it goes
  .onProgress((event) => {
    const line = event.type !== "suite-progress" ? { type: event.type } : {
      type: event.type,
      suite: event.suite,
      phase: event.progress.phase,
      done: event.progress.done,
      planned: event.progress.planned,
      perSecond: Math.round(event.progress.perSecond),
      p99Ms: event.progress.latencyMs?.p99,
      errors: event.progress.errors,
      final: event.progress.final,
    };
    appendFileSync(LOG, JSON.stringify({ at: new Date().toISOString(), ...line }) + "\n");
  })
  .run();

const lines = readFileSync(LOG, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
const progress = lines.filter((l) => l.type === "suite-progress");
const last = progress.at(-1);
const lastCount = `${last.done}/${last.planned} ${last.phase}`;
console.log(`${report.json.status}: ${lines.length} lines, ${progress.length} of the suite's progress, the last ${lastCount}`);
