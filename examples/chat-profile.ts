// How wsstress speaks the chat server's protocol (examples/servers/chat.ts): log in first, replies without ids.
import { defineProtocol, type ProtocolDefinition } from "../mod.ts";

export type Chat = { type: string; user?: string; room?: string; text?: string; n?: number; data?: string; message?: string };

/** the definition, for a variant to build on ({ ...chatProtocol, setup }) */
export const chatProtocol: ProtocolDefinition<Chat> = {
  name: "chat",
  parse: (frame) => JSON.parse(String(frame)),
  // every connection logs in before it counts as open; a refusal fails it with the server's message
  async setup(connection) {
    const login = JSON.stringify({ type: "login", user: `load-${connection.index}` });
    const answer = await connection.request(login, (m) => m.type === "welcome" || m.type === "error");
    if (answer.type !== "welcome") throw new Error(answer.message);
  },
  // the id travels as the number the server wants, and comes back as one
  echo: {
    request: (_stamp, { id, payload }) => JSON.stringify({ type: "ping", n: id, data: payload }),
    reply: (m) => (m.type === "pong" ? { id: m.n } : undefined),
  },
  // "joined" names its room: it answers the join of that room (by content)
  subscribe: {
    request: ({ channel }) => JSON.stringify({ type: "join", room: channel }),
    reply: (m) => m.type === "joined",
    match: (m, join) => m.room === join.channel,
  },
  // "left" answers the oldest leave still waiting (by order)
  unsubscribe: {
    request: ({ channel }) => JSON.stringify({ type: "leave", room: channel }),
    reply: (m) => m.type === "left",
  },
  // a message carries only its text: the stamp (sequence number and send time) rides in it
  publish: (room, stamp) => JSON.stringify({ type: "say", room, text: stamp }),
  delivery: (m) => (m.type === "message" ? m.text : undefined),
  publishAcked: false,
};

export default defineProtocol(chatProtocol);
