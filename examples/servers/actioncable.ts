// A small server that speaks Rails' Action Cable protocol (the "actioncable-v1-json" subprotocol), on Node and ws:
//   on connect                                               → {"type":"welcome"}, then {"type":"ping","message":<s>} every 3 s
//   {"command":"subscribe","identifier":"{\"channel\":\"ChatChannel\",\"room\":\"lobby\"}"}
//                                                            → {"identifier":…,"type":"confirm_subscription"} (reject_subscription
//                                                              for a channel it does not have)
//   {"command":"message","identifier":"{\"channel\":\"LoadChannel\"}","data":"{\"action\":\"echo\",\"body\":…}"}
//                                                            → the sender gets {"identifier":…,"message":{"body":…}}
//   the same with {"action":"announce","room":"lobby","body":…} → every subscriber of ChatChannel's lobby gets
//                                                              {"identifier":<the room's identifier>,"message":{"body":…}}
//   {"command":"unsubscribe","identifier":…}                → nothing (Action Cable confirms no unsubscribe)
// Prints its URL; PORT picks the port (8085 by default).
import process from "node:process";
import { type WebSocket, WebSocketServer } from "ws";

const CHANNELS = new Set(["ChatChannel", "LoadChannel"]);
const roomOf = (room: unknown) => JSON.stringify({ channel: "ChatChannel", room });
const streams = new Map<string, Set<WebSocket>>();

const wss = new WebSocketServer({
  host: "127.0.0.1",
  port: Number(process.env.PORT ?? 8085),
  path: "/cable",
  handleProtocols: (offered) => (offered.has("actioncable-v1-json") ? "actioncable-v1-json" : false),
});
wss.on("connection", (ws) => {
  const send = (m: object) => ws.send(JSON.stringify(m));
  const mine = new Set<string>();
  send({ type: "welcome" });
  const ping = setInterval(() => send({ type: "ping", message: Math.floor(Date.now() / 1000) }), 3000);
  ws.on("close", () => {
    clearInterval(ping);
    for (const identifier of mine) streams.get(identifier)?.delete(ws);
  });
  ws.on("message", (raw) => {
    const { command, identifier, data } = JSON.parse(String(raw)) as { command: string; identifier: string; data?: string };
    const channel = (JSON.parse(identifier) as { channel?: string }).channel ?? "";
    if (command === "subscribe") {
      if (!CHANNELS.has(channel)) return send({ identifier, type: "reject_subscription" });
      if (!streams.has(identifier)) streams.set(identifier, new Set());
      streams.get(identifier)!.add(ws);
      mine.add(identifier);
      return send({ identifier, type: "confirm_subscription" });
    }
    if (command === "unsubscribe") return void (streams.get(identifier)?.delete(ws), mine.delete(identifier));
    if (command !== "message" || !mine.has(identifier)) return;
    const { action, room, body } = JSON.parse(data ?? "{}") as { action?: string; room?: string; body?: unknown };
    if (action === "echo") send({ identifier, message: { body } });
    if (action !== "announce") return;
    const frame = JSON.stringify({ identifier: roomOf(room), message: { body } });
    for (const member of streams.get(roomOf(room)) ?? []) member.send(frame);
  });
});
wss.on("listening", () => console.log(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/cable`));
