// Stress a chat server that wants a login first and answers without ids.
// Start the server first: node examples/servers/chat.ts
import process from "node:process";
import { stress } from "../mod.ts";
import chat from "./chat-profile.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8083/";
const report = await stress()
  .target(url)
  .profile(chat)
  .level("minimal", "light")
  .run();

console.log(report.terminal());
for (const level of report.json.levels) {
  for (const s of level.suites) {
    const errors = s.errors.reduce((n, e) => n + e.count, 0);
    console.log(`${level.level.name} ${s.suite}: ${s.status === "skipped" ? `skipped (${s.reason})` : `${s.status}, ${errors} errors`}`);
  }
}
