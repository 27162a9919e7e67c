// A Socket.IO server (the socket.io package, Node) with the ten lines the socketio profile's default events need:
// echo acknowledged with its data, join/leave a room acknowledged, publish to a room's members as "message".
// ROLES=1 adds roles as a middleware: the CONNECT's auth.token gives the role (an unknown token is refused),
// and a packet middleware refuses what the role may not do. PING_INTERVAL and PING_TIMEOUT (ms) set the heartbeat.
// Prints its URL; PORT picks the port (8084 by default).
import { createServer } from "node:http";
import process from "node:process";
import { Server } from "socket.io";
import { handle } from "../socketio-handler.ts";
import { may, roleOf } from "./reference-roles.ts";

export { handle };

/** Roles: the handshake's token gives one, and a packet middleware answers what the role may not do with { ok: false }. */
export function withRoles(io: Server | ReturnType<Server["of"]>): void {
  io.use((socket, next) => {
    const role = roleOf(socket.handshake.auth.token);
    if (role === undefined) return next(new Error("unknown token"));
    socket.use(([event, room, ...rest], next) => {
      const action = event === "join" ? "sub" : event === "publish" ? "pub" : undefined;
      if (action === undefined || may(role, action, String(room).split(".")[0])) return next();
      const ack = rest.at(-1);
      if (typeof ack === "function") ack({ ok: false, error: "forbidden" });
    });
    next();
  });
}

export function startSocketIo(port: number, options: { pingInterval?: number; pingTimeout?: number; roles?: boolean } = {}) {
  const http = createServer((_req, res) => res.writeHead(426).end("Socket.IO over WebSocket only\n"));
  const io = new Server(http, {
    transports: ["websocket"],
    perMessageDeflate: true,
    ...(options.pingInterval ? { pingInterval: options.pingInterval } : {}),
    ...(options.pingTimeout ? { pingTimeout: options.pingTimeout } : {}),
  });
  if (options.roles) withRoles(io);
  io.on("connection", handle);
  return new Promise<{ io: Server; url: string }>((resolve) =>
    http.listen(port, "127.0.0.1", () => resolve({ io, url: `ws://127.0.0.1:${(http.address() as { port: number }).port}/` }))
  );
}

if (import.meta.main ?? process.argv[1] === new URL(import.meta.url).pathname) {
  const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const { url } = await startSocketIo(env("PORT") ?? 8084, {
    pingInterval: env("PING_INTERVAL"),
    pingTimeout: env("PING_TIMEOUT"),
    roles: process.env.ROLES === "1",
  });
  console.log(url);
}
