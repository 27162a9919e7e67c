/**
 * Group 6 (Autobahn 6.x, UTF-8 handling, RFC 6455 §8.1): valid text comes
 * back whatever the fragment boundaries; invalid text fails the connection
 * with 1007, and fails it fast: at the frame, or the very chop, that makes
 * the text invalid, not once the message is whole (later is NON-STRICT).
 */
import { concatBytes, OPCODE, utf8 } from "./frame-codec.ts";
import { type CaseDefinition, type CaseGroup, echoCase, NORMAL_CLOSE } from "./case-definition.ts";
import type { CaseContext, CloseExpectation } from "./case-context.ts";
import { hexOf } from "./wire-log.ts";
import { KOSME, UTF8_SECTIONS } from "./utf8-sequences.ts";
import { validUtf8 } from "./utf8-check.ts";

const INVALID_PAYLOAD: CloseExpectation = { by: "server", codes: [1007], clean: false, wrongEndpointFatal: true };
const FAILS = "The connection is failed at once with 1007: the payload is not valid UTF-8.";
const HELLO_UTF8 = "Hello-µ@ßöäüàá-UTF-8!!";
/** κόσμε, then U+D800 encoded (a lone surrogate), then "edited" */
const INVALID = concatBytes([KOSME, Uint8Array.from([0xed, 0xa0, 0x80]), utf8("edited")]);

function sendText(id: string, description: string, payload: Uint8Array, fragmentSize?: number): CaseDefinition {
  const valid = validUtf8(payload);
  return {
    id,
    description,
    expectation: valid ? "The message comes back." : FAILS,
    echo: valid,
    script(c) {
      if (valid) {
        c.expect("OK", [["message", payload, false]]);
        c.expectClose(NORMAL_CLOSE);
      } else {
        c.expect("OK", []);
        c.expectClose(INVALID_PAYLOAD);
      }
      c.sendMessage(payload, { fragmentSize });
      if (valid) c.closeAfter(1000);
      c.killAfter(valid ? 2000 : 1000);
    },
  };
}

/** 6.4.x: the invalid byte arrives in its own frame (or chop) after a pause; a fast server fails before the next pause ends. */
function failFast(id: string, parts: [Uint8Array, Uint8Array, Uint8Array], chops: boolean): CaseDefinition {
  const how = chops ? "3 chops of one frame" : "3 fragments";
  return {
    id,
    description: `Send an invalid UTF-8 text message in ${how}, a pause of 1 s after each of the first two: ` +
      `PART1 = ${hexOf(parts[0])}, PART2 = ${hexOf(parts[1])} (makes it invalid), PART3 = ${hexOf(parts[2])}.`,
    expectation: "PART1 is taken; the connection is failed with 1007 as PART2 arrives (failing it only after PART3 is NON-STRICT).",
    echo: false,
    script(c: CaseContext) {
      c.expect("OK", [["timeout", "A"]]);
      c.expect("NON-STRICT", [["timeout", "A"], ["timeout", "B"]]);
      c.expectClose(INVALID_PAYLOAD);
      const whole = concatBytes(parts);
      const pieces = chops
        ? c.framePieces({ opcode: OPCODE.text, payload: whole }, [parts[0].length, parts[0].length + parts[1].length])
        : [];
      const send = (i: number): void => {
        if (chops) return c.sendPiece(pieces[i], `chop ${i + 1} of 3 of one TEXT frame`);
        c.send({ opcode: i === 0 ? OPCODE.text : OPCODE.continuation, fin: i === 2, payload: parts[i] });
      };
      send(0);
      c.later(1000, () => {
        c.mark("A");
        send(1);
        c.later(1000, () => {
          c.mark("B");
          send(2);
          c.killAfter(1000);
        });
      });
    },
  };
}

const cases: CaseDefinition[] = [
  echoCase("6.1.1", "Send a text message of length 0.", "The empty message comes back.", (c) => {
    c.expect("OK", [["message", "", false]]);
    c.expectClose(NORMAL_CLOSE);
    c.send({ opcode: OPCODE.text });
    c.killAfter(1000);
  }),
  echoCase("6.1.2", "Send a text message in 3 fragments, each of length 0.", "The empty message comes back.", (c) => {
    c.expect("OK", [["message", "", false]]);
    c.expectClose(NORMAL_CLOSE);
    c.send([{ opcode: OPCODE.text, fin: false }, { opcode: OPCODE.continuation, fin: false }, { opcode: OPCODE.continuation }]);
    c.killAfter(1000);
  }),
  echoCase(
    "6.1.3",
    "Send a text message in 3 fragments, the first and last of length 0.",
    "The middle fragment's text comes back.",
    (c) => {
      c.expect("OK", [["message", "middle frame payload", false]]);
      c.expectClose(NORMAL_CLOSE);
      c.send([{ opcode: OPCODE.text, fin: false }, { opcode: OPCODE.continuation, fin: false, payload: "middle frame payload" }, {
        opcode: OPCODE.continuation,
      }]);
      c.killAfter(1000);
    },
  ),
  sendText("6.2.1", `Send a valid UTF-8 text message in one fragment: "${HELLO_UTF8}".`, utf8(HELLO_UTF8)),
  sendText("6.2.2", "Send the same message in 2 fragments, split on a code point boundary.", utf8(HELLO_UTF8), utf8("Hello-µ@ßö").length),
  sendText("6.2.3", "Send the same message in fragments of 1 octet, most of them ending inside a code point.", utf8(HELLO_UTF8), 1),
  sendText("6.2.4", "Send κόσμε in fragments of 1 octet, most of them ending inside a code point.", KOSME, 1),
  sendText("6.3.1", `Send an invalid UTF-8 text message in one fragment: 0x${hexOf(INVALID)}.`, INVALID),
  sendText("6.3.2", "Send the same invalid message in fragments of 1 octet.", INVALID, 1),
  failFast("6.4.1", [KOSME, Uint8Array.from([0xf4, 0x90, 0x80, 0x80]), utf8("edited")], false),
  failFast("6.4.2", splitAt12(), false),
  failFast("6.4.3", [KOSME, Uint8Array.from([0xf4, 0x90, 0x80, 0x80]), utf8("edited")], true),
  failFast("6.4.4", splitAt12(), true),
  ...UTF8_SECTIONS.flatMap((section, s) =>
    section.sequences.map((payload, i) => {
      const valid = validUtf8(payload);
      const description = `Send a text message whose payload is ${valid ? "" : "not "}valid UTF-8, in one fragment: 0x${
        hexOf(payload, 64)
      }.`;
      return sendText(`6.${s + 5}.${i + 1}`, description, payload);
    })
  ),
];

/** κόσμε + F4 90 80 80 + "edited", split just after the byte that makes it invalid (the 13th). */
function splitAt12(): [Uint8Array, Uint8Array, Uint8Array] {
  const whole = concatBytes([KOSME, Uint8Array.from([0xf4, 0x90, 0x80, 0x80]), utf8("edited")]);
  return [whole.slice(0, 12), whole.slice(12, 13), whole.slice(13)];
}

export const UTF8_HANDLING: CaseGroup = {
  id: "6",
  title: "UTF-8 handling",
  optIn: false,
  sections: [
    { id: "6.1", title: "Empty text messages" },
    { id: "6.2", title: "Valid UTF-8, whole and fragmented" },
    { id: "6.3", title: "Invalid UTF-8, whole and fragmented" },
    { id: "6.4", title: "Fail fast on invalid UTF-8" },
    ...UTF8_SECTIONS.map((s, i) => {
      const valid = s.sequences.filter(validUtf8).length;
      return {
        id: `6.${i + 5}`,
        title: s.title,
        summary: {
          sends: `${s.title}: ${s.sequences.length} text messages, one sequence each (${valid} valid UTF-8)`,
          expects: valid === s.sequences.length
            ? "each comes back"
            : valid === 0
            ? "each fails the connection with 1007"
            : "a valid one comes back; an invalid one fails the connection with 1007",
        },
      };
    }),
  ],
  cases,
};
