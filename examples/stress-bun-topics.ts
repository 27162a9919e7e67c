// Stress a Bun server that speaks its own pub/sub protocol, through a profile of your own.
// Start the server first: bun examples/servers/bun-topics.ts
import process from "node:process";
import { stress } from "../mod.ts";
import bunTopics from "./bun-topics-profile.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8082/";
const report = await stress()
  .target(url)
  .profile(bunTopics)
  .level("minimal")
  .run();

console.log(report.terminal());
for (const suite of report.json.levels[0].suites) {
  console.log(
    `${suite.suite}: ${suite.status === "skipped" ? `skipped (${suite.reason})` : `${suite.status}, ${suite.errors.length} error classes`}`,
  );
}
