/**
 * The reference protocol as a profile (`src/protocol/mod.ts` has the table):
 * every operation, acks with recipient counts, `stats`, and the default
 * policy's tokens. Every connection shares one stateless session, whose
 * frames are built with templates: this is the hot path of every run against
 * the reference server.
 */
import { decodeReply } from "../protocol/codec.ts";
import { tokenFor } from "../protocol/policy.ts";
import type { Frame } from "../model/runtime-contract.ts";
import type { Profile, Session } from "./profile.ts";

/** the payload last quoted: suites send one payload over and over, so it is quoted once */
let lastPayload = "";
let lastQuoted = '""';
const quoted = (payload: string): string => (payload === lastPayload ? lastQuoted : (lastQuoted = JSON.stringify(lastPayload = payload)));

const utf8 = new TextDecoder();
const text = (frame: Frame): string => (typeof frame === "string" ? frame : utf8.decode(frame));

/** the one session every connection shares: the reference protocol keeps no state per connection */
export const wsstressSession: Session = {
  decode: (frame) => decodeReply(text(frame)),
  echo: (id, payload) => `{"op":"echo","id":${id},"p":${quoted(payload)}}`,
  subscribe: (id, channel) => `{"op":"sub","id":${id},"ch":${JSON.stringify(channel)}}`,
  unsubscribe: (id, channel) => `{"op":"unsub","id":${id},"ch":${JSON.stringify(channel)}}`,
  publish: (id, channel, seq, ts, payload) =>
    `{"op":"pub","id":${id},"ch":${JSON.stringify(channel)},"seq":${seq},"ts":${ts},"p":${quoted(payload)}}`,
  authenticate: (id, token) => `{"op":"auth","id":${id},"token":${JSON.stringify(token)}}`,
};

export const wsstressProfile: Profile = {
  name: "wsstress",
  module: "wsstress",
  operations: ["echo", "subscribe", "unsubscribe", "publish", "authenticate", "acks"],
  setup: false,
  open: () => wsstressSession,
  publishAcked: true,
  defaultTokens: { subscriber: tokenFor("subscriber"), publisher: tokenFor("publisher"), admin: tokenFor("admin") },
  serverStats: true,
  reference: true,
};
