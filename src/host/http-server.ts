/**
 * An HTTP server for the live dashboard, on `node:http` (which Node, Deno and
 * Bun all implement): whole replies, and streams of server-sent events that
 * stay open until the handler ends them, the client goes, or the server
 * closes. A port already taken is the user's mistake: a RangeError.
 */
import http from "node:http";
import type { Socket } from "node:net";
import type { HttpHandler, HttpServer } from "../model/runtime-contract.ts";

/** how long a closing server waits for a client to let go of its connection */
const CLOSE_GRACE_MS = 2_000;

export function serveHttp(options: { host: string; port: number }, handler: HttpHandler): Promise<HttpServer> {
  const sockets = new Set<Socket>();
  const streams = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const reply = handler({
      method: req.method ?? "GET",
      path: new URL(req.url ?? "/", "http://localhost").pathname,
      host: req.headers.host ?? "",
    });
    if ("body" in reply) {
      res.writeHead(reply.status, { "content-type": reply.type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      return void res.end(reply.body);
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.flushHeaders();
    streams.add(res);
    const gone = reply.stream((chunk) => void res.write(chunk), () => res.end());
    res.on("close", () => {
      streams.delete(res);
      gone();
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const busy = error.code === "EADDRINUSE" || error.code === "EACCES";
      reject(
        busy
          ? new RangeError(
            `--dashboard: port ${options.port} on ${options.host} cannot be used (${error.code}); choose another, or 0 for any free one`,
          )
          : error,
      );
    });
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/`,
        close: () =>
          new Promise<void>((done) => {
            for (const res of streams) res.end();
            // a browser keeps its connection open and the server would wait for it: ended, written out first, then cut after a grace
            const cut = setTimeout(() => sockets.forEach((s) => s.destroy()), CLOSE_GRACE_MS);
            server.close(() => (clearTimeout(cut), done()));
            for (const socket of sockets) socket.end();
          }),
      });
    });
  });
}
