// Stress a plain Deno.serve echo server, sending a header and offering a subprotocol.
// Start the server first: deno run -A examples/servers/deno-echo.ts
import process from "node:process";
import { stress } from "../mod.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8081/";
const report = await stress()
  .target(url)
  .profile("echo")
  .headers({ authorization: "Bearer example-token" }) // its value never reaches the result
  .subprotocols("echo.v1")
  .suite("connection", "message")
  .level("minimal")
  .run();

console.log(report.terminal());
const { handshake } = report.json.server;
console.log(`permessage-deflate ${handshake?.perMessageDeflate}, subprotocol "${handshake?.subprotocol}"`);
