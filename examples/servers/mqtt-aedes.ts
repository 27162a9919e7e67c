// An MQTT 3.1.1 broker over WebSocket: the real aedes, each WebSocket (subprotocol "mqtt", binary frames) handed to it as
// a stream by ws' createWebSocketStream. CONNECT's password is the role's token (none: guest; an unknown one is refused,
// CONNACK 5), and topics follow wsstress's reference policy by their first level: guests subscribe to public/…,
// subscribers to news/… too, publishers also publish there, admins do anything; wsstress/echo/… is open to everyone.
// A subscription refused gets SUBACK 0x80 (aedes' authorizeSubscribe); a publish refused closes the connection, as MQTT
// 3.1.1 wants (MQTT-3.3.5-2). Prints its URL; PORT picks the port (8086 by default).
import process from "node:process";
import { Aedes } from "aedes";
import { createWebSocketStream, WebSocket, WebSocketServer } from "ws";
import { may as mayOn, type Role, roleOf } from "./reference-roles.ts";

/** may `role` do `action` on `topic` (by its first level); wsstress/echo/… is everyone's */
export const may = (role: Role, action: "sub" | "pub", topic: string): boolean => {
  const first = topic.split("/")[0];
  return first === "wsstress" || mayOn(role, action, first);
};

export type AedesServerOptions = {
  port?: number;
  /** faults for wsstress's own tests: stop forwarding to a topic's first subscriber after this many; let guests into private/… */
  faults?: { dropSubscriberAfter?: number; guestsIntoPrivate?: boolean };
};

export async function startAedesServer(options: AedesServerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const faults = options.faults ?? {};
  const roles = new Map<string, Role>();
  const roleFor = (clientId: string): Role => roles.get(clientId) ?? "guest";
  /** the first client to subscribe to each topic, and what it was forwarded: the victim of dropSubscriberAfter */
  const firsts = new Map<string, { id: string; forwarded: number }>();

  const broker = await Aedes.createBroker({
    authenticate(client, _username, password, done) {
      const role = roleOf(password?.toString());
      if (!role) return done(Object.assign(new Error("not authorized"), { returnCode: 5 }), false);
      roles.set(client.id, role);
      done(null, true);
    },
    authorizeSubscribe(client, sub, done) {
      const role = roleFor(client.id);
      const letIn = faults.guestsIntoPrivate && role === "guest" && sub.topic.startsWith("private/");
      if (!letIn && !may(role, "sub", sub.topic)) return done(null, null); // SUBACK 0x80
      if (!firsts.has(sub.topic)) firsts.set(sub.topic, { id: client.id, forwarded: 0 });
      done(null, sub);
    },
    authorizePublish(client, packet, done) {
      done(
        client && !may(roleFor(client.id), "pub", packet.topic)
          ? new Error(`a ${roleFor(client.id)} may not publish to ${packet.topic}`)
          : null,
      );
    },
    authorizeForward(client, packet) {
      const first = firsts.get(packet.topic);
      if (faults.dropSubscriberAfter === undefined || first?.id !== client.id) return packet;
      return first.forwarded++ < faults.dropSubscriberAfter ? packet : null;
    },
  });
  broker.on("clientDisconnect", (client) => roles.delete(client.id));

  const wss = new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 8086, perMessageDeflate: true });
  wss.on("connection", (socket, request) => {
    // aedes ends a refused connection by destroying its stream as soon as the CONNACK is written, and ws' stream then
    // terminates the socket, which can cut that CONNACK off on a busy machine: the socket is closed with a close frame
    socket.terminate = () => socket.close();
    broker.handle(createWebSocketStream(socket), request);
  });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/`,
    async close() {
      for (const socket of wss.clients) WebSocket.prototype.terminate.call(socket);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

if (import.meta.main) {
  const server = await startAedesServer({ port: Number(process.env.PORT ?? 8086) });
  console.log(server.url);
}
