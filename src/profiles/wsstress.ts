/**
 * The reference protocol as a profile (`src/protocol/mod.ts` has the table):
 * every operation, acks with recipient counts, `stats`, and the default
 * policy's tokens. Frames are built with templates, as the suites always
 * did: this is the hot path of every run against the reference server.
 */
import { decodeReply } from "../protocol/codec.ts";
import { tokenFor } from "../protocol/policy.ts";
import type { Profile } from "./profile.ts";

/** the payload last quoted: suites send one payload over and over, so it is quoted once */
let lastPayload = "";
let lastQuoted = '""';
const quoted = (payload: string): string => (payload === lastPayload ? lastQuoted : (lastQuoted = JSON.stringify((lastPayload = payload))));

export const wsstressProfile: Profile = {
  name: "wsstress",
  module: "wsstress",
  decode: decodeReply,
  echo: (id, payload) => `{"op":"echo","id":${id},"p":${quoted(payload)}}`,
  subscribe: (id, channel) => `{"op":"sub","id":${id},"ch":${JSON.stringify(channel)}}`,
  unsubscribe: (id, channel) => `{"op":"unsub","id":${id},"ch":${JSON.stringify(channel)}}`,
  publish: (id, channel, seq, ts, payload) => `{"op":"pub","id":${id},"ch":${JSON.stringify(channel)},"seq":${seq},"ts":${ts},"p":${quoted(payload)}}`,
  authenticate: (id, token) => `{"op":"auth","id":${id},"token":${JSON.stringify(token)}}`,
  acks: true,
  publishAcked: true,
  defaultTokens: { subscriber: tokenFor("subscriber"), publisher: tokenFor("publisher"), admin: tokenFor("admin") },
  serverStats: true,
  reference: true,
};
