// Stress your own Hono app's WebSocket route with the echo profile.
// Start the server first: node examples/servers/hono-node.ts
import process from "node:process";
import { stress } from "../mod.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8080/ws";
const report = await stress()
  .target(url) // loopback only; a remote host needs .target(url, { allowRemote: true })
  .profile("echo") // any server that sends each frame back: connection, message, compression
  .level("minimal", "light")
  .run();

console.log(report.terminal());
const message = report.json.levels.at(-1)!.suites.find((s) => s.suite === "message")!;
console.log(`light message: ${message.status}, ${message.metrics.find((m) => m.key === "errors")?.value} errors`);
