// How wsstress speaks Rails' Action Cable protocol (examples/servers/actioncable.ts): no request ids anywhere.
import { defineProtocol } from "../mod.ts";

type Cable = { type?: string; identifier?: string; message?: { body?: string } };
/** the channel every connection subscribes in its setup: its echo, and announcements to a room */
const LOAD = JSON.stringify({ channel: "LoadChannel" });
const room = (channel: string) => JSON.stringify({ channel: "ChatChannel", room: channel });
const perform = (data: object) => JSON.stringify({ command: "message", identifier: LOAD, data: JSON.stringify(data) });

export default defineProtocol<Cable>({
  name: "actioncable",
  parse: (frame) => JSON.parse(String(frame)),
  // the server speaks first; the load channel is subscribed before the connection counts as open
  async setup(connection) {
    await connection.expect((m) => m.type === "welcome");
    // Action Cable pings every 3 s; a client calls a connection stale after two missed pings
    connection.heartbeatWithin(6_000);
    const subscribe = JSON.stringify({ command: "subscribe", identifier: LOAD });
    const answer = await connection.request(subscribe, (m) => m.identifier === LOAD && m.type !== undefined);
    if (answer.type !== "confirm_subscription") throw new Error(`LoadChannel: ${answer.type}`);
  },
  heartbeat: (m) => m.type === "ping",
  // the echo comes back with the stamp in its body: tied by the id in front of it
  echo: {
    request: (stamp) => perform({ action: "echo", body: stamp }),
    reply: (m) => (m.identifier === LOAD && m.message ? m.message.body : undefined),
  },
  // a confirmation names the identifier it confirms (by content); a rejection refuses it
  subscribe: {
    request: ({ channel }) => JSON.stringify({ command: "subscribe", identifier: room(channel) }),
    reply: (m) => (m.type === "confirm_subscription" ? true : m.type === "reject_subscription" ? { ok: false } : undefined),
    match: (m, request) => m.identifier === room(request.channel),
  },
  publish: (channel, stamp) => perform({ action: "announce", room: channel, body: stamp }),
  delivery: (m) => (m.identifier !== LOAD && m.message ? m.message.body : undefined),
  publishAcked: false,
});
