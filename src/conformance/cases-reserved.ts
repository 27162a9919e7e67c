/**
 * Groups 3 and 4 (Autobahn 3.x reserved bits, 4.x opcodes): a frame with a
 * reserved bit no extension defines, or a reserved opcode, fails the
 * connection (RFC 6455 §5.2) — also when a valid message went just before,
 * which must still come back first, and whatever the chops on the wire.
 */
import type { CaseContext } from "./case-context.ts";
import { type CaseDefinition, type CaseGroup, failCase, PROTOCOL_ERROR } from "./case-definition.ts";
import { OPCODE } from "./frame-codec.ts";

const HELLO = "Hello, world!";
const ECHO_THEN_FAIL = "The first message comes back, then the connection is failed (the pong never comes); " +
  "failing it before the echo is NON-STRICT.";

type How = { chop?: number; perFrame?: boolean };
const CHOPS: Record<string, [string, How]> = {
  one: ["", {}],
  frames: [" Frames are sent one write each.", { perFrame: true }],
  octets: [" Octets are sent one write each.", { chop: 1 }],
};

/** A valid text message, then `bad`, then a ping: the echo, then the connection failed before the pong. */
function echoThenFail(c: CaseContext, bad: { opcode: number; rsv?: number; payload?: string }, how: How): void {
  c.expect("OK", [["message", HELLO, false]]);
  c.expect("NON-STRICT", []);
  c.expectClose(PROTOCOL_ERROR);
  c.send([{ opcode: OPCODE.text, payload: HELLO }, bad, { opcode: OPCODE.ping }], how);
  c.killAfter(1000);
}

function failAtOnce(c: CaseContext, frame: { opcode: number; rsv?: number; payload?: string | Uint8Array }): void {
  c.expect("OK", []);
  c.expectClose(PROTOCOL_ERROR);
  c.send(frame);
  c.killAfter(1000);
}

const RSV_FAILS = "The connection is failed at once: reserved bits must be 0 without an extension that defines them.";

const reservedBits: CaseDefinition[] = [
  failCase(
    "3.1",
    "Send a small text message with RSV = 1.",
    RSV_FAILS,
    (c) => failAtOnce(c, { opcode: OPCODE.text, rsv: 1, payload: HELLO }),
  ),
  ...([[2, "one"], [3, "frames"], [4, "octets"]] as const).map(([rsv, chops], i) =>
    failCase(
      `3.${i + 2}`,
      `Send a small text message, then again with RSV = ${rsv}, then a ping.${CHOPS[chops][0]}`,
      ECHO_THEN_FAIL,
      (c) => echoThenFail(c, { opcode: OPCODE.text, rsv, payload: HELLO }, CHOPS[chops][1]),
      true,
    )
  ),
  failCase(
    "3.5",
    "Send a small binary message with RSV = 5.",
    RSV_FAILS,
    (c) => failAtOnce(c, { opcode: OPCODE.binary, rsv: 5, payload: new Uint8Array([0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff]) }),
  ),
  failCase("3.6", "Send a ping with RSV = 6.", RSV_FAILS, (c) => failAtOnce(c, { opcode: OPCODE.ping, rsv: 6, payload: HELLO })),
  failCase("3.7", "Send a close with RSV = 7.", RSV_FAILS, (c) => failAtOnce(c, { opcode: OPCODE.close, rsv: 7 })),
];

/** 4.1.x: non-control opcodes 3–7; 4.2.x: control opcodes 11–15. */
function opcodeCases(section: "4.1" | "4.2", first: number): CaseDefinition[] {
  const kind = section === "4.1" ? "non-control" : "control";
  const fails = `The connection is failed at once: opcode ${"N"} is reserved.`;
  return [0, 1, 2, 3, 4].map((i) => {
    const opcode = first + i;
    const withPayload = i === 1 || i === 3 || i === 4;
    const bad = { opcode, ...(withPayload ? { payload: "reserved opcode payload" } : {}) };
    const what = `a frame with reserved ${kind} opcode ${opcode}${withPayload ? " and a payload" : ""}`;
    if (i < 2) return failCase(`${section}.${i + 1}`, `Send ${what}.`, fails.replace("N", String(opcode)), (c) => failAtOnce(c, bad));
    return failCase(
      `${section}.${i + 1}`,
      `Send a small text message, then ${what}, then a ping.`,
      ECHO_THEN_FAIL,
      (c) => echoThenFail(c, bad, {}),
      true,
    );
  });
}

export const RESERVED_BITS: CaseGroup = { id: "3", title: "Reserved bits", optIn: false, sections: [], cases: reservedBits };

export const OPCODES: CaseGroup = {
  id: "4",
  title: "Opcodes",
  optIn: false,
  sections: [{ id: "4.1", title: "Non-control opcodes" }, { id: "4.2", title: "Control opcodes" }],
  cases: [...opcodeCases("4.1", 3), ...opcodeCases("4.2", 11)],
};
