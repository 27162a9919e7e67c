// Stress an Action Cable server through a profile of your own.
// Start the server first: node examples/servers/actioncable.ts
import process from "node:process";
import { stress } from "../mod.ts";
import actionCable from "./actioncable-profile.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8085/cable";
const report = await stress()
  .target(url)
  .profile(actionCable)
  .subprotocols("actioncable-v1-json")
  .level("minimal")
  .run();

console.log(report.terminal());
for (const s of report.json.levels[0].suites) {
  const errors = s.errors.reduce((n, e) => n + e.count, 0);
  console.log(`${s.suite}: ${s.status === "skipped" ? `skipped (${s.reason})` : `${s.status}, ${errors} errors`}`);
}
