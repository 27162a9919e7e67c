// A small Hono app on Node with a WebSocket echo route: the kind of server you
// point wsstress at. Prints its URL; PORT picks the port (8080 by default).
import { serve } from "@hono/node-server";
import { createNodeWebSocket } from "@hono/node-ws";
import { Hono } from "hono";
import process from "node:process";

const app = new Hono();
const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app });

app.get("/", (c) => c.text("hello from hono"));
app.get(
  "/ws",
  upgradeWebSocket(() => ({
    onMessage(event, ws) {
      ws.send(String(event.data));
    },
  })),
);

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: Number(process.env.PORT ?? 8080) }, (info) => {
  console.log(`ws://127.0.0.1:${info.port}/ws`);
});
injectWebSocket(server);
