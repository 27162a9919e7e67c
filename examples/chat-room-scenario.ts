// A chat room as its users live it: join a room, say something now and then, hear the room, leave.
// It speaks through the profile's operations (subscribe, publish, delivery), never raw frames, so the same
// scenario runs against wsstress's reference server and against examples/servers/chat.ts through its profile.
import { defineScenario } from "../mod.ts";

const ROOMS = 5;
const roomOf = (index: number): string => `public.room-${index % ROOMS}`;

export default defineScenario({
  name: "chat-room",
  // the reference server lets only publishers publish; a profile that does not authenticate ignores the role
  role: "publisher",
  iterations: 20,
  metrics: {
    messages_heard: { kind: "counter", label: "messages heard in the room", unit: "messages" },
  },
  async setup(vu) {
    vu.check("joined the room", await vu.subscribe(roomOf(vu.index)));
  },
  async run(vu) {
    const room = roomOf(vu.index);
    await vu.publish(room, `hello from ${vu.index}`);
    // a message of the room (ours or a neighbour's) within a second: its wait and its publish-to-receipt are timed
    const heard = await vu.delivery(room, { within: 1000 });
    if (vu.check("heard the room", heard !== undefined)) vu.metric("messages_heard").add(1);
    await vu.think(10, 30);
  },
  async teardown(vu) {
    await vu.unsubscribe(roomOf(vu.index));
  },
});
