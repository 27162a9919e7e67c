/**
 * Group 7 (Autobahn 7.x, close handling, RFC 6455 §5.5.1 and §7): the
 * server answers a close and then closes the TCP connection; it ignores
 * what follows a close; it takes every valid close payload (empty, a code,
 * a code and a reason up to 123 bytes) and fails the connection with 1002
 * on an invalid one (1 byte, a reason too long or not UTF-8, a code that may
 * not be sent). Codes 5000 and 65535 are informational: the RFC says nothing.
 */
import type { CaseContext, CloseExpectation } from "./case-context.ts";
import type { CaseDefinition, CaseGroup } from "./case-definition.ts";
import { concatBytes, OPCODE, repeatTo, utf8 } from "./frame-codec.ts";
import { KOSME } from "./utf8-sequences.ts";

const clean = (...codes: number[]): CloseExpectation => ({ by: "client", codes: [1000, ...codes], clean: true });
const refused = (...codes: number[]): CloseExpectation => ({ by: "client", codes, clean: false });

function closeCase(
  id: string,
  description: string,
  expectation: string,
  script: (c: CaseContext) => void,
  extra: Partial<CaseDefinition> = {},
): CaseDefinition {
  return {
    id,
    description,
    expectation,
    echo: false,
    wrongCodeFails: true,
    script(c) {
      c.suppressClose = true;
      c.expect("OK", []);
      script(c);
      c.killAfter(1000);
    },
    ...extra,
  };
}

const afterClose: CaseDefinition[] = [
  {
    id: "7.1.1",
    description: "Send a message followed by a close frame.",
    expectation: "The message comes back, then a clean close with the normal code.",
    echo: true,
    wrongCodeFails: true,
    script(c) {
      c.expect("OK", [["message", "Hello World!", false]]);
      c.expectClose(clean());
      c.send({ opcode: OPCODE.text, payload: "Hello World!" });
      c.killAfter(1000);
    },
  },
  closeCase("7.1.2", "Send two close frames.", "A clean close with the normal code; the second close is ignored.", (c) => {
    c.expectClose(clean());
    c.sendClose(1000);
    c.send({ opcode: OPCODE.close });
  }),
  closeCase("7.1.3", "Send a ping after a close frame.", "A clean close with the normal code; no pong.", (c) => {
    c.expectClose(clean());
    c.sendClose(1000);
    c.send({ opcode: OPCODE.ping });
  }),
  closeCase("7.1.4", "Send a text message after a close frame.", "A clean close with the normal code; the message is ignored.", (c) => {
    c.expectClose(clean());
    c.sendClose(1000);
    c.send({ opcode: OPCODE.text, payload: "Hello World!" });
  }),
  closeCase(
    "7.1.5",
    "Send a message's first fragment, a close frame, then the last fragment.",
    "A clean close with the normal code.",
    (c) => {
      c.expectClose(clean());
      c.send({ opcode: OPCODE.text, fin: false, payload: "fragment1" });
      c.sendClose(1000);
      c.send({ opcode: OPCODE.continuation, payload: "fragment2" });
    },
  ),
  closeCase(
    "7.1.6",
    "Send a 256 KiB text message, a small one, a close frame and a ping, back to back.",
    "Up to the implementation: the close may be handled before the messages are echoed.",
    (c) => {
      c.expect("OK", [["message", "Hello World!", false]]);
      c.expectClose(clean());
      c.send([{ opcode: OPCODE.text, payload: c.fill(256 * 1024, "BAsd7&jh23") }, { opcode: OPCODE.text, payload: "Hello World!" }]);
      c.sendClose(1000);
      c.send({ opcode: OPCODE.ping });
    },
    { informational: true, echo: true },
  ),
];

const payloads: CaseDefinition[] = [
  closeCase("7.3.1", "Send a close frame with an empty payload (no code, no reason).", "A clean close with the normal code.", (c) => {
    c.expectClose(clean());
    c.sendClose();
  }),
  closeCase(
    "7.3.2",
    "Send a close frame with a payload of 1 byte.",
    "Close with the protocol error code, or the TCP connection dropped.",
    (c) => {
      c.expectClose(refused(1002));
      c.send({ opcode: OPCODE.close, payload: "a" });
    },
  ),
  closeCase("7.3.3", "Send a close frame with the close code and no reason.", "A clean close with the normal code.", (c) => {
    c.expectClose(clean());
    c.sendClose(1000);
  }),
  closeCase("7.3.4", "Send a close frame with the close code and a reason.", "A clean close with the normal code.", (c) => {
    c.expectClose(clean());
    c.sendClose(1000, "Hello World!");
  }),
  closeCase(
    "7.3.5",
    "Send a close frame with the close code and a reason of the most allowed, 123 bytes.",
    "A clean close with the normal code.",
    (c) => {
      c.expectClose(clean());
      c.sendClose(1000, repeatTo("*", 123));
    },
  ),
  closeCase(
    "7.3.6",
    "Send a close frame with the close code and a reason 1 byte too long (a payload of 126).",
    "Close with the protocol error code, or the TCP connection dropped.",
    (c) => {
      c.expectClose(refused(1002));
      c.sendClose(1000, repeatTo("*", 124));
    },
  ),
  closeCase(
    "7.5.1",
    "Send a close frame with a reason that is not valid UTF-8.",
    "Close with the protocol error or invalid payload code, or the TCP connection dropped.",
    (c) => {
      c.expectClose(refused(1002, 1007));
      c.sendClose(1000, concatBytes([KOSME, Uint8Array.from([0xed, 0xa0, 0x80]), utf8("edited")]));
    },
  ),
];

const VALID = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
const INVALID = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

const codes: CaseDefinition[] = [
  ...VALID.map((code, i) =>
    closeCase(
      `7.7.${i + 1}`,
      `Send a close frame with the valid close code ${code}.`,
      "A clean close with the normal or the same code.",
      (c) => {
        c.expectClose(clean(code));
        c.sendClose(code);
      },
    )
  ),
  ...INVALID.map((code, i) =>
    closeCase(
      `7.9.${i + 1}`,
      `Send a close frame with the invalid close code ${code}.`,
      "Close with the protocol error code, or the TCP connection dropped.",
      (c) => {
        c.expectClose(refused(1002));
        c.sendClose(code);
      },
    )
  ),
  ...[5000, 65535].map((code, i) =>
    closeCase(
      `7.13.${i + 1}`,
      `Send a close frame with the close code ${code}, outside the defined range.`,
      "Up to the implementation.",
      (c) => {
        c.expectClose({ by: "client", codes: [1000, code, 1002], clean: false });
        c.sendClose(code);
      },
      { informational: true },
    )
  ),
];

export const CLOSE_HANDLING: CaseGroup = {
  id: "7",
  title: "Close handling",
  optIn: false,
  sections: [
    { id: "7.1", title: "Basic close behaviour" },
    { id: "7.3", title: "Close frame payloads" },
    { id: "7.5", title: "Close reasons that are not UTF-8" },
    { id: "7.7", title: "Valid close codes" },
    { id: "7.9", title: "Invalid close codes" },
    { id: "7.13", title: "Close codes out of range" },
  ],
  cases: [...afterClose, ...payloads, ...codes],
};
