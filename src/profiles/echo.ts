/**
 * The echo profile: any server that sends every text frame back as it came.
 * The frame is the stamp itself (the correlation id in front of the
 * payload), so the connection, message and compression suites run against it.
 */
import { defineProtocol } from "./define.ts";
import type { Profile } from "./profile.ts";

export const echoProfile: Profile = defineProtocol({ name: "echo", echo: { request: (stamp) => stamp, reply: (frame) => frame } }, "echo");
