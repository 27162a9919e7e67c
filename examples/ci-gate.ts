// A CI harness: branch one base configuration, tighten a threshold, bound the
// run's time with an AbortSignal, keep the JSON, and fail the job on a ❌.
import { writeFile } from "node:fs/promises";
import { stress } from "../mod.ts";

const base = stress()
  .suite("message", "permission")
  .thresholds({ "message.wire.rtt_p99_ms": { better: "lower", excellent: 25, good: 100 } });

const smoke = base.level("minimal"); // base itself is unchanged: builders are immutable

const report = await smoke
  .onProgress((event) => {
    if (event.type === "suite-end") console.error(`${event.result.suite}: ${event.result.verdict}`);
  })
  .run({ signal: AbortSignal.timeout(120_000) });

await writeFile("wsstress-result.json", JSON.stringify(report.json, null, 2));
const wrongAllows = report.json.levels[0].suites
  .find((s) => s.suite === "permission")?.metrics.find((m) => m.key === "wrong_allows")?.value;
console.log(`status ${report.json.status}, verdict ${report.json.verdict}, wrong allows ${wrongAllows}`);
if (wrongAllows !== 0) process.exitCode = 1;
