/**
 * A loopback TCP proxy that counts every byte each way: how the compression
 * suite sees what permessage-deflate really puts on the wire, whatever the
 * client runtime (none of the three exposes its socket's byte counters
 * through the WebSocket API). Uses `node:net`, which Node, Deno and Bun all
 * implement. https://nodejs.org/api/net.html
 */
import { createConnection, createServer, type Socket } from "node:net";
import type { CountingProxy } from "../model/runtime-contract.ts";

export function startCountingProxy(target: string): Promise<CountingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const counts = { toServer: 0, toClient: 0 };
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    // a reset on one side just ends the pair; the WebSocket client reports it
    s.on("error", () => s.destroy());
  };

  const server = createServer((client) => {
    const upstream = createConnection({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port) });
    track(client);
    track(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on("data", (chunk: Buffer) => {
      counts.toServer += chunk.length;
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on("drain", () => client.resume());
    upstream.on("data", (chunk: Buffer) => {
      counts.toClient += chunk.length;
      if (!client.write(chunk)) upstream.pause();
    });
    client.on("drain", () => upstream.resume());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("proxy has no TCP address"));
      // the target's path and query (Socket.IO's Engine.IO query) go through the proxy as they are
      const { pathname, search } = new URL(target);
      resolve({
        url: `ws://127.0.0.1:${address.port}${pathname}${search}`,
        bytes: () => ({ toServer: counts.toServer, toClient: counts.toClient }),
        reset() {
          counts.toServer = 0;
          counts.toClient = 0;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
