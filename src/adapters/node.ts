// https://nodejs.org/api/http.html
// https://github.com/websockets/ws/blob/master/doc/ws.md
/**
 * The Node adapter: `node:http` + the `ws` package for the server
 * (`_ws-server.ts`, which Deno shares) and for the client (`_ws-client.ts`;
 * Node's built-in WebSocket is about 3× slower at handshakes).
 */
import process from "node:process";
import type { Memory, Runtime, ServeOptions, ServerHandle } from "../model/runtime-contract.ts";
import { memoryOf } from "./_shared.ts";
import { connectWs } from "./_ws-client.ts";
import { connectRawSocket } from "./_raw-socket.ts";
import { serveWs } from "./_ws-server.ts";

const memory = (): Memory => memoryOf(process.memoryUsage());

const serve = (options: ServeOptions = {}): Promise<ServerHandle> => serveWs(options, "node", memory);

export const nodeRuntime: Runtime = {
  name: "node",
  version: process.versions.node,
  serve,
  connect: connectWs,
  clientPerMessageDeflate: true,
  connectRaw: connectRawSocket,
  memory,
};
