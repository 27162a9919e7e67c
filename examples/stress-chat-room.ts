// One scenario, two servers: examples/chat-room-scenario.ts against wsstress's reference server (embedded),
// then against examples/servers/chat.ts through examples/chat-profile.ts.
// Start the chat server first: node examples/servers/chat.ts
import process from "node:process";
import { type Report, stress } from "../mod.ts";
import chat from "./chat-profile.ts";
import chatRoom from "./chat-room-scenario.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8083/";
const runs: Array<[string, Report]> = [
  ["reference server", await stress().scenario(chatRoom).level("minimal").warmup(false).run()],
  ["chat server", await stress().target(url).profile(chat).scenario(chatRoom).level("minimal").warmup(false).run()],
];

for (const [server, report] of runs) {
  const [room] = report.json.levels[0].suites;
  const figure = (key: string) => room.metrics.find((m) => m.key === key)?.value;
  const errors = room.errors.reduce((n, e) => n + e.count, 0);
  console.log(`${server}: ${room.status}, ${figure("iterations")} iterations, ${figure("checks_failed")} checks failed, ${errors} errors`);
  const ms = (key: string) => figure(key)?.toFixed(1) ?? "—";
  console.log(`${server}: publish-to-receipt p99 ${ms("delivery_p99_ms")} ms, round trips p99 ${ms("request_p99_ms")} ms`);
}
