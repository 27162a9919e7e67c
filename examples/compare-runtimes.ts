// Compare runtimes: the same plan against a Node, a Deno and a Bun server, each
// loaded by a Bun client in a process of its own, over two interleaved rounds:
// enough to see the figures; 4 rounds or more (the default is 5) let the rank test call a winner.
// Run it with `node examples/compare-runtimes.ts`, `deno run -A examples/compare-runtimes.ts` or `bun examples/compare-runtimes.ts`.
import { writeFile } from "node:fs/promises";
import { stress } from "../mod.ts";

const report = await stress()
  .level("minimal")
  .suite("message")
  .runtimes({ servers: ["node", "deno", "bun"], clients: ["bun"] })
  .rounds(2)
  .run();

await writeFile("wsstress-matrix.json", JSON.stringify(report.json, null, 2));
for (const m of report.json.metrics) {
  const worst = Math.max(...m.cells.map((c) => c.ratio ?? Infinity));
  const outcome = m.outcome === "win"
    ? `${m.leader} wins`
    : m.outcome === "tie"
    ? `tie: ${[m.leader, ...m.tiedWith].join(" = ")}`
    : `${m.outcome}, best median ${m.leader}`;
  console.log(`${m.id}: ${outcome} (${worst.toFixed(2)}× the worst)`);
}
