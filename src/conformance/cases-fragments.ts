/**
 * Group 5 (Autobahn 5.x, fragmentation, RFC 6455 §5.4): fragmented messages
 * come back whole, control frames may come between fragments and are
 * answered at once, and the server fails the connection on a fragmented
 * control frame, a continuation with nothing to continue, or a new message
 * begun inside another. Each in one write, one write per frame, and one
 * write per octet where Autobahn varies it.
 */
import type { CaseContext } from "./case-context.ts";
import { type CaseDefinition, type CaseGroup, echoCase, failCase, NORMAL_CLOSE, PROTOCOL_ERROR } from "./case-definition.ts";
import { OPCODE } from "./frame-codec.ts";

type How = { chop?: number; perFrame?: boolean };
const WAYS: Array<[string, How]> = [["", {}], [" Frames are sent one write each.", { perFrame: true }], [
  " Octets are sent one write each.",
  { chop: 1 },
]];
const NOTHING_TO_CONTINUE = "The connection is failed at once: there is no message to continue.";

const { continuation: CONT, text: TEXT, ping: PING, pong: PONG } = OPCODE;

function failWith(c: CaseContext, frames: Array<{ opcode: number; fin?: boolean; payload?: string }>, how: How = {}): void {
  c.expect("OK", []);
  c.expectClose(PROTOCOL_ERROR);
  c.send(frames, how);
  c.killAfter(1000);
}

/** Three variants of one case, numbered from `first`. */
function threeWays(first: number, description: string, make: (how: How, text: string, id: string) => CaseDefinition): CaseDefinition[] {
  return WAYS.map(([text, how], i) => make(how, description + text, `5.${first + i}`));
}

const fragmentedEcho = (how: How, description: string, id: string): CaseDefinition =>
  echoCase(id, description, "The message comes back whole.", (c) => {
    c.expect("OK", [["message", "fragment1fragment2", false]]);
    c.expectClose(NORMAL_CLOSE);
    c.send([{ opcode: TEXT, fin: false, payload: "fragment1" }, { opcode: CONT, payload: "fragment2" }], how);
    c.closeAfter(1000);
  });

const pingBetween = (how: How, description: string, id: string): CaseDefinition =>
  echoCase(id, description, "The pong comes back, then the whole message.", (c) => {
    c.expect("OK", [["pong", "ping payload"], ["message", "fragment1fragment2", false]]);
    c.expectClose(NORMAL_CLOSE);
    c.send([{ opcode: TEXT, fin: false, payload: "fragment1" }, { opcode: PING, payload: "ping payload" }, {
      opcode: CONT,
      payload: "fragment2",
    }], how);
    c.closeAfter(1000);
  });

const continuationFirst = (fin: boolean) => (how: How, description: string, id: string): CaseDefinition =>
  failCase(
    id,
    description,
    NOTHING_TO_CONTINUE,
    (c) => failWith(c, [{ opcode: CONT, fin, payload: "non-continuation payload" }, { opcode: TEXT, payload: "Hello, world!" }], how),
  );

/** 5.19 and 5.20: fragments with pings between them and a pause of a second in the middle. */
function pausedFragments(id: string, perFrame: boolean): CaseDefinition {
  const way = perFrame ? " Frames are sent one write each." : "";
  return echoCase(
    id,
    `A text message in 5 fragments: after 2 fragments a ping, then a pause of 1 s, then 2 fragments, a ping and the last fragment.${way}`,
    "Each pong comes back at once, before the last fragment; then the whole message.",
    (c) => {
      const f = ["fragment1", "fragment2", "fragment3", "fragment4", "fragment5"];
      c.expect("OK", [["pong", "pongme 1!"], ["pong", "pongme 2!"], ["message", f.join(""), false]]);
      c.expectClose(NORMAL_CLOSE);
      c.send([{ opcode: TEXT, fin: false, payload: f[0] }, { opcode: CONT, fin: false, payload: f[1] }, {
        opcode: PING,
        payload: "pongme 1!",
      }], { perFrame });
      c.later(1000, () => {
        c.send([
          { opcode: CONT, fin: false, payload: f[2] },
          { opcode: CONT, fin: false, payload: f[3] },
          { opcode: PING, payload: "pongme 2!" },
          { opcode: CONT, payload: f[4] },
        ], { perFrame });
        c.closeAfter(1000);
      });
    },
  );
}

const cases: CaseDefinition[] = [
  failCase(
    "5.1",
    "Send a ping in 2 fragments.",
    "The connection is failed at once: control frames may not be fragmented.",
    (c) => failWith(c, [{ opcode: PING, fin: false, payload: "fragment1" }, { opcode: CONT, payload: "fragment2" }]),
  ),
  failCase(
    "5.2",
    "Send a pong in 2 fragments.",
    "The connection is failed at once: control frames may not be fragmented.",
    (c) => failWith(c, [{ opcode: PONG, fin: false, payload: "fragment1" }, { opcode: CONT, payload: "fragment2" }]),
  ),
  ...threeWays(3, "Send a text message in 2 fragments.", fragmentedEcho),
  ...threeWays(6, "Send a text message in 2 fragments, a ping with a payload between them.", pingBetween),
  ...threeWays(9, "Send a continuation frame with FIN = true with nothing to continue, then a text message.", continuationFirst(true)),
  ...threeWays(12, "Send a continuation frame with FIN = false with nothing to continue, then a text message.", continuationFirst(false)),
  failCase(
    "5.15",
    "Send a text message in 2 fragments, then a continuation frame with FIN = false with nothing to continue, then a text message.",
    "The first message comes back, then the connection is failed: there is no message to continue.",
    (c) => {
      c.expect("OK", [["message", "fragment1fragment2", false]]);
      c.expect("NON-STRICT", []);
      c.expectClose(PROTOCOL_ERROR);
      c.send([
        { opcode: TEXT, fin: false, payload: "fragment1" },
        { opcode: CONT, payload: "fragment2" },
        { opcode: CONT, fin: false, payload: "fragment3" },
        { opcode: TEXT, payload: "fragment4" },
      ]);
      c.killAfter(1000);
    },
    true,
  ),
  ...[false, true].map((fin, i) =>
    failCase(
      `5.${16 + i}`,
      `Twice: a continuation frame with FIN = ${fin} with nothing to continue, then a text message in 2 fragments.`,
      NOTHING_TO_CONTINUE,
      (c) => {
        const once = [
          { opcode: CONT, fin, payload: "fragment1" },
          { opcode: TEXT, fin: false, payload: "fragment2" },
          { opcode: CONT, payload: "fragment3" },
        ];
        failWith(c, [...once, ...once]);
      },
    )
  ),
  failCase(
    "5.18",
    "Send a text message in 2 fragments, both with the text opcode.",
    "The connection is failed at once: fragments after the first have opcode 0.",
    (c) => failWith(c, [{ opcode: TEXT, fin: false, payload: "fragment1" }, { opcode: TEXT, payload: "fragment2" }]),
  ),
  pausedFragments("5.19", false),
  pausedFragments("5.20", true),
];

export const FRAGMENTATION: CaseGroup = { id: "5", title: "Fragmentation", optIn: false, sections: [], cases };
