// The ten lines a Socket.IO server needs for wsstress's socketio profile and its default event names.
import type { Socket } from "socket.io";

export function handle(socket: Socket): void {
  socket.on("echo", (data, ack) => ack(data)); // message, compression: RTT by ack id
  socket.on("join", (room, ack) => (socket.join(room), ack({ ok: true }))); // subscription, broadcast
  socket.on("leave", (room, ack) => (socket.leave(room), ack({ ok: true })));
  socket.on("publish", (room, data, ack) => { // broadcast: every member gets "message"
    socket.to(room).emit("message", data);
    ack({ ok: true, recipients: socket.nsp.adapter.rooms.get(room)?.size ?? 0 });
  });
}
