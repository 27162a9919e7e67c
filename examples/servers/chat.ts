// A chat server as a new user writes one, on Node and the ws package: log in first, then join rooms and talk.
//   {"type":"login","user":"ada"}              → {"type":"welcome","user":"ada"}
//                                    (anything else first: {"type":"error","message":"login first"})
//   {"type":"join","room":"lobby"}             → {"type":"joined","room":"lobby"}
//   {"type":"leave","room":"lobby"}            → {"type":"left","room":"lobby"}
//   {"type":"say","room":"lobby","text":"hi"}  → every member gets {"type":"message","room":"lobby","from":"ada","text":"hi"}
//   {"type":"ping","n":7,"data":"…"}           → {"type":"pong","n":7,"data":"…"}
// No reply carries a request id. Prints its URL; PORT picks the port (8083 by default).
import process from "node:process";
import { type WebSocket, WebSocketServer } from "ws";

type Message = { type?: string; user?: string; room?: string; text?: string; n?: number; data?: string };
const rooms = new Map<string, Set<WebSocket>>();

const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(process.env.PORT ?? 8083), perMessageDeflate: true });
wss.on("connection", (ws) => {
  let user: string | undefined;
  const joined = new Set<string>();
  const send = (m: object) => ws.send(JSON.stringify(m));
  ws.on("close", () => {
    for (const room of joined) rooms.get(room)?.delete(ws);
  });
  ws.on("message", (raw) => {
    let m: Message;
    try {
      m = JSON.parse(String(raw));
    } catch {
      return send({ type: "error", message: "not JSON" });
    }
    if (m.type === "login" && typeof m.user === "string") {
      user = m.user;
      return send({ type: "welcome", user });
    }
    if (user === undefined) return send({ type: "error", message: "login first" });
    const room = String(m.room);
    switch (m.type) {
      case "join":
        if (!rooms.has(room)) rooms.set(room, new Set());
        rooms.get(room)!.add(ws);
        joined.add(room);
        return send({ type: "joined", room });
      case "leave":
        rooms.get(room)?.delete(ws);
        joined.delete(room);
        return send({ type: "left", room });
      case "say": {
        const frame = JSON.stringify({ type: "message", room, from: user, text: m.text });
        for (const member of rooms.get(room) ?? []) member.send(frame);
        return;
      }
      case "ping":
        return send({ type: "pong", n: m.n, data: m.data });
      default:
        return send({ type: "error", message: `unknown type ${m.type}` });
    }
  });
});
wss.on("listening", () => console.log(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/`));
