/**
 * The echo profile: any server that sends every text frame back as it came.
 * The frame is the payload itself, with the correlation id in front, so the
 * connection, message and compression suites run against it.
 */
import { defineProtocol } from "./define.ts";
import type { Profile } from "./profile.ts";

export const echoProfile: Profile = defineProtocol({ name: "echo", echo: { request: (payload) => payload, reply: (frame) => frame } }, "echo");
