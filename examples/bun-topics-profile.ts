// How wsstress speaks the Bun topics server's protocol (examples/servers/bun-topics.ts).
// wsstress hands each function a payload, a topic and a ref; only the payload has to come back.
import { defineProtocol } from "../mod.ts";

const read = (frame: string) => JSON.parse(frame) as { event: string; ref?: number; ok?: boolean; data?: string; recipients?: number };

export default defineProtocol({
  name: "bun-topics",
  echo: {
    request: (data) => JSON.stringify({ action: "ping", data }),
    reply: (frame) => (read(frame).event === "pong" ? read(frame).data : undefined),
  },
  subscribe: (topic, ref) => JSON.stringify({ action: "subscribe", topic, ref }),
  unsubscribe: (topic, ref) => JSON.stringify({ action: "unsubscribe", topic, ref }),
  publish: (topic, data, ref) => JSON.stringify({ action: "publish", topic, data, ref }),
  authenticate: (token, ref) => JSON.stringify({ action: "login", token, ref }),
  ack(frame) {
    const m = read(frame);
    return m.ref === undefined || m.event === "pong" ? undefined : { id: m.ref, ok: m.ok === true, recipients: m.recipients };
  },
  delivery: (frame) => (read(frame).event === "message" ? read(frame).data : undefined),
  tokens: { publisher: "publisher-secret" },
});
