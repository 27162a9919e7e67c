// A Bun server with a small pub/sub protocol of its own on Bun's native topics:
//   {"action":"ping","ref":1,"data":…}                 → {"event":"pong","ref":1,"data":…}
//   {"action":"login","ref":2,"token":"…"}             → {"event":"login","ref":2,"ok":true|false}
//   {"action":"subscribe"|"unsubscribe","ref":3,"topic":"…"} → {"event":"subscribed"|"unsubscribed","ref":3,"ok":true}
//   {"action":"publish","ref":4,"topic":"…","data":…}  → {"event":"published","ref":4,"ok":…,"recipients":n}
//                                   and every subscriber gets {"event":"message","topic":"…","data":…}
// Only a connection logged in as publisher may publish. Prints its URL; PORT picks the port (8082 by default).
const ROLES: Record<string, string> = { "publisher-secret": "publisher" };

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 8082),
  fetch(req, server) {
    return server.upgrade(req, { data: { role: "guest" } }) ? undefined : new Response("WebSocket only\n", { status: 426 });
  },
  websocket: {
    message(ws, raw) {
      const m = JSON.parse(String(raw));
      const reply = (event: string, fields: object) => ws.send(JSON.stringify({ event, ref: m.ref, ...fields }));
      switch (m.action) {
        case "ping":
          return reply("pong", { data: m.data });
        case "login":
          ws.data.role = ROLES[m.token] ?? "guest";
          return reply("login", { ok: ws.data.role !== "guest" });
        case "subscribe":
          ws.subscribe(m.topic);
          return reply("subscribed", { ok: true });
        case "unsubscribe":
          ws.unsubscribe(m.topic);
          return reply("unsubscribed", { ok: true });
        case "publish": {
          if (ws.data.role !== "publisher") return reply("published", { ok: false });
          const recipients = server.subscriberCount(m.topic);
          server.publish(m.topic, JSON.stringify({ event: "message", topic: m.topic, data: m.data }));
          return reply("published", { ok: true, recipients });
        }
        default:
          return reply("error", { ok: false });
      }
    },
  },
});
console.log(`ws://127.0.0.1:${server.port}/`);
