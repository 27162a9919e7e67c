// Stress a GraphQL over WebSocket server (graphql-transport-ws) through the graphql-ws profile.
// Start the server first: node examples/servers/graphql-ws.ts
import process from "node:process";
import { stress } from "../mod.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8085/";
const report = await stress()
  .target(url)
  .profile("graphql-ws") // the default schema's operations; graphql-ws?echo=…&subscribe=…&publish=… names yours
  .level("minimal")
  .run();

console.log(report.terminal());
for (const s of report.json.levels[0].suites) {
  const errors = s.errors.reduce((n, e) => n + e.count, 0);
  console.log(`${s.suite}: ${s.status}, ${errors} errors`);
}
