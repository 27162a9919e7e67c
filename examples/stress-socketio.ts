// Stress a Socket.IO server through the socketio profile: no profile of your own to write.
// Start the server first: ROLES=1 node examples/servers/socketio.ts
import process from "node:process";
import { stress } from "../mod.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8084"; // the /socket.io/ path and the Engine.IO query are added
const report = await stress()
  .target(url)
  .profile("socketio") // or "socketio?namespace=/chat&echo=ping" for other event names and a namespace
  .tokens({ subscriber: "subscriber-token", publisher: "publisher-token", admin: "admin-token" }) // sent as the CONNECT's auth.token
  .level("minimal")
  .run();

console.log(report.terminal());
for (const s of report.json.levels[0].suites) {
  const errors = s.errors.reduce((n, e) => n + e.count, 0);
  console.log(`${s.suite}: ${s.status}, ${errors} errors`);
}
