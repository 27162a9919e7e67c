// The smallest useful script: one level, one suite, the markdown report.
// Run it with `node examples/quick-start.ts`, `deno run -A examples/quick-start.ts` or `bun examples/quick-start.ts`.
import { stress } from "../mod.ts";

const report = await stress().level("minimal").suite("broadcast").run();

console.log(report.markdown());
console.log(
  `verdict: ${report.json.verdict}, lost deliveries: ${report.json.levels[0].suites[0].metrics.find((m) => m.key === "lost")?.value}`,
);
