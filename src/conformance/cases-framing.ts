/**
 * Groups 1 and 2 (Autobahn 1.x framing, 2.x pings and pongs): messages at
 * every payload-length boundary of RFC 6455 §5.2 (7-bit, 16-bit, 64-bit
 * lengths), whole and chopped, and control frames: pings answered with their
 * payload, unsolicited pongs ignored, a ping too long failing the connection.
 */
import { type CaseDefinition, type CaseGroup, echoCase, failCase, NORMAL_CLOSE, PROTOCOL_ERROR } from "./case-definition.ts";
import { OPCODE, repeatTo } from "./frame-codec.ts";

const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536];

function framingCases(section: "1.1" | "1.2"): CaseDefinition[] {
  const binary = section === "1.2";
  const kind = binary ? "binary" : "text";
  const pattern = binary ? new Uint8Array([0xfe]) : "*";
  const sizes = [...LENGTHS.map((n) => ({ n, chop: undefined as number | undefined })), { n: 65536, chop: 997 }];
  return sizes.map(({ n, chop }, i) =>
    echoCase(
      `${section}.${i + 1}`,
      `Send a ${kind} message with a payload of length ${n}${chop ? `, in chops of ${chop} octets` : ""}.`,
      `The ${kind} message comes back as sent; clean close with the normal code.`,
      (c) => {
        const payload = c.fill(n, pattern);
        c.expect("OK", [["message", payload, binary]]);
        c.expectClose(NORMAL_CLOSE);
        c.send({ opcode: binary ? OPCODE.binary : OPCODE.text, payload }, { chop });
        c.killAfter(10_000);
      },
    )
  );
}

const PING_BINARY = new Uint8Array([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]);

function pingCase(id: string, description: string, payload: Uint8Array | string, chop?: number): CaseDefinition {
  return {
    id,
    description,
    expectation: "A pong with the ping's payload comes back; clean close with the normal code.",
    echo: false,
    script(c) {
      c.expect("OK", [["pong", payload]]);
      c.expectClose(NORMAL_CLOSE);
      c.send({ opcode: OPCODE.ping, payload }, { chop });
      c.closeAfter(2000);
    },
  };
}

function silentCase(id: string, description: string, send: Array<[number, string]>, expected: Array<["pong", string]>): CaseDefinition {
  return {
    id,
    description,
    expectation: expected.length === 0
      ? "Nothing comes back; clean close with the normal code."
      : "Only the pong for the ping comes back; clean close.",
    echo: false,
    script(c) {
      c.expect("OK", expected);
      c.expectClose(NORMAL_CLOSE);
      c.send(send.map(([opcode, payload]) => ({ opcode, payload })));
      c.closeAfter(1000);
    },
  };
}

function tenPings(id: string, chop?: number): CaseDefinition {
  return {
    id,
    description: `Send 10 pings with payloads${chop ? ", in octet-wise chops" : ""}.`,
    expectation: "A pong for every ping, each with its payload, in order (not required by the RFC, expected of any implementation).",
    echo: false,
    script(c) {
      const payloads = Array.from({ length: 10 }, (_, i) => `payload-${i}`);
      c.expect("OK", payloads.map((p): ["pong", string] => ["pong", p]));
      c.expectClose(NORMAL_CLOSE);
      c.send(payloads.map((payload) => ({ opcode: OPCODE.ping, payload })), { chop });
      c.closeAfter(3000);
    },
  };
}

/**
 * 1.3 is wsstress's own (Autobahn's client always masks, so it has no such
 * case): a client frame in the clear must fail the connection, RFC 6455 §5.1.
 */
const UNMASKED = "The connection is failed at once: a server must close the connection on a frame that is not masked.";
const masking: CaseDefinition[] = [
  failCase("1.3.1", "Send a text message without masking it (wsstress's case; not in Autobahn).", UNMASKED, (c) => {
    c.expect("OK", []);
    c.expectClose(PROTOCOL_ERROR);
    c.send({ opcode: OPCODE.text, payload: "Hello, world!", mask: false });
    c.killAfter(1000);
  }),
  failCase("1.3.2", "Send a ping without masking it (wsstress's case; not in Autobahn).", UNMASKED, (c) => {
    c.expect("OK", []);
    c.expectClose(PROTOCOL_ERROR);
    c.send({ opcode: OPCODE.ping, payload: "Hello, world!", mask: false });
    c.killAfter(1000);
  }),
];

export const FRAMING: CaseGroup = {
  id: "1",
  title: "Framing",
  optIn: false,
  sections: [{ id: "1.1", title: "Text messages" }, { id: "1.2", title: "Binary messages" }, {
    id: "1.3",
    title: "Unmasked frames (wsstress's own)",
  }],
  cases: [...framingCases("1.1"), ...framingCases("1.2"), ...masking],
};

export const PINGS: CaseGroup = {
  id: "2",
  title: "Pings and pongs",
  optIn: false,
  sections: [],
  cases: [
    pingCase("2.1", "Send a ping without payload.", ""),
    pingCase("2.2", "Send a ping with a small text payload.", "Hello, world!"),
    pingCase("2.3", "Send a ping with a small binary (non UTF-8) payload.", PING_BINARY),
    pingCase("2.4", "Send a ping with a binary payload of 125 octets.", repeatTo(new Uint8Array([0xfe]), 125)),
    failCase(
      "2.5",
      "Send a ping with a binary payload of 126 octets.",
      "The connection is failed: a control frame is at most 125 octets.",
      (c) => {
        c.expect("OK", []);
        c.expectClose(PROTOCOL_ERROR);
        c.send({ opcode: OPCODE.ping, payload: repeatTo(new Uint8Array([0xfe]), 126) });
        c.killAfter(1000);
      },
    ),
    pingCase("2.6", "Send a ping with a binary payload of 125 octets, in octet-wise chops.", repeatTo(new Uint8Array([0xfe]), 125), 1),
    silentCase("2.7", "Send an unsolicited pong without payload.", [[OPCODE.pong, ""]], []),
    silentCase("2.8", "Send an unsolicited pong with a payload.", [[OPCODE.pong, "unsolicited pong payload"]], []),
    silentCase("2.9", "Send an unsolicited pong with a payload, then a ping with a payload.", [
      [OPCODE.pong, "unsolicited pong payload"],
      [OPCODE.ping, "ping payload"],
    ], [["pong", "ping payload"]]),
    tenPings("2.10"),
    tenPings("2.11", 1),
  ],
};
