/**
 * The pieces the conformance cases stand on, each against an independent
 * reference: frames round-trip through the decoder whatever the chunking,
 * permessage-deflate output inflates with zlib (the one servers use), the
 * server's deflate answer is read as RFC 7692 §7.1 says, the reference
 * dialect escapes as JSON.stringify does, and the catalogue holds Autobahn's
 * case counts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { constants, createInflateRaw } from "node:zlib";
import { encodeFrame, FrameDecoder, repeatTo, utf8 } from "../src/conformance/frame-codec.ts";
import { deflateCodec, loadDeflateEngine, readAgreement } from "../src/conformance/deflate-extension.ts";
import { DIALECTS, jsonEscape } from "../src/conformance/echo-dialects.ts";
import { ALL_CASES, CASE_GROUPS, selectCases } from "../src/conformance/case-catalogue.ts";
import { UTF8_SECTIONS } from "../src/conformance/utf8-sequences.ts";
import { validUtf8 } from "../src/conformance/utf8-check.ts";
import { PAYLOAD_KINDS } from "../src/conformance/deflate-payloads.ts";

describe("the frame codec", () => {
  it("decodes what it encodes at every length boundary, masked, however the bytes are chunked", () => {
    for (const length of [0, 1, 125, 126, 127, 65535, 65536, 200_000]) {
      const payload = repeatTo("abcdefg", length);
      const bytes = encodeFrame({ opcode: 2, payload, rsv: 5, fin: false });
      // octet by octet up to 64 KiB; a bigger frame in reads of the size TCP gives
      for (const chunk of length > 65536 ? [4096, bytes.length] : [1, 7, 4096, bytes.length]) {
        const decoder = new FrameDecoder(1 << 20);
        const frames = [];
        for (let at = 0; at < bytes.length; at += chunk) frames.push(...decoder.push(bytes.subarray(at, at + chunk)));
        assert.equal(frames.length, 1, `length ${length} in chunks of ${chunk}`);
        assert.deepEqual({ ...frames[0], payload: undefined }, { fin: false, rsv: 5, opcode: 2, masked: true, payload: undefined });
        assert.deepEqual(frames[0].payload, payload);
      }
    }
  });

  it("refuses a frame that claims more than it may hold, at its header", () => {
    const decoder = new FrameDecoder(1000);
    const head = Uint8Array.from([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert.throws(() => decoder.push(head), /a frame of 4294967296 bytes, past the checker's 1000/);
  });
});

/** Inflates each message with zlib, keeping the window across them as a server with context takeover does. */
async function zlibInflate(messages: Uint8Array[]): Promise<Uint8Array[]> {
  const inflate = createInflateRaw();
  const out: Uint8Array[] = [];
  let chunks: Buffer[] = [];
  inflate.on("data", (c: Buffer) => chunks.push(c));
  for (const m of messages) {
    inflate.write(m);
    inflate.write(Uint8Array.from([0, 0, 0xff, 0xff]));
    await new Promise<void>((resolve) => inflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    out.push(Uint8Array.from(Buffer.concat(chunks)));
    chunks = [];
  }
  inflate.close();
  return out;
}

describe("permessage-deflate", () => {
  it("compresses messages zlib inflates exactly, with and without context takeover (fflate's own sync flush does not)", async () => {
    const engine = await loadDeflateEngine();
    const json = PAYLOAD_KINDS.find((k) => k.id === "json")!.data();
    const messages = Array.from({ length: 300 }, (_, i) => json.subarray(i * 97, i * 97 + 16 + (i % 11) * 61));
    for (const clientNoContextTakeover of [false, true]) {
      const codec = deflateCodec(engine, { serverNoContextTakeover: false, clientNoContextTakeover, serverMaxWindowBits: 15 });
      const inflated = await zlibInflate(messages.map((m) => codec.compress(m)));
      inflated.forEach((m, i) => assert.deepEqual(m, messages[i], `message ${i}, client_no_context_takeover ${clientNoContextTakeover}`));
    }
  });

  it("inflates the server's messages with the window kept across them", async () => {
    const engine = await loadDeflateEngine();
    const sender = deflateCodec(engine, { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15 });
    const receiver = deflateCodec(engine, { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: 15 });
    const text = utf8("the same words again and again, the same words again");
    for (let i = 0; i < 20; i++) assert.deepEqual(receiver.decompress(sender.compress(text), 1 << 20), text);
    assert.throws(() => receiver.decompress(sender.compress(repeatTo("x", 5000)), 1000), /inflates to 5000 bytes, past the checker's 1000/);
  });

  it("reads the server's answer as RFC 7692 §7.1 allows, and refuses what it forbids", () => {
    const plain = [{}];
    assert.deepEqual(readAgreement(undefined, plain), { declined: true });
    assert.deepEqual(readAgreement("permessage-deflate; server_no_context_takeover; server_max_window_bits=10", plain), {
      agreement: { serverNoContextTakeover: true, clientNoContextTakeover: false, serverMaxWindowBits: 10 },
    });
    const problem = (header: string, offers: object[] = plain) => (readAgreement(header, offers) as { problem?: string }).problem ?? "";
    assert.match(problem("permessage-deflate; client_max_window_bits=10"), /client_max_window_bits, which the offer did not include/);
    assert.match(problem("permessage-deflate; server_max_window_bits=16"), /not 8 to 15/);
    assert.match(
      problem("permessage-deflate; server_no_context_takeover; server_no_context_takeover"),
      /repeats server_no_context_takeover/,
    );
    assert.match(problem("permessage-deflate; mystery"), /unknown parameter "mystery"/);
    assert.match(problem("permessage-deflate, permessage-deflate"), /accepted 2 extensions/);
    assert.match(problem("x-webkit-deflate-frame"), /which was not offered/);
    assert.match(problem("permessage-deflate; server_max_window_bits=12", [{ serverMaxWindowBits: 9 }]), /fits none of the offers/);
    assert.match(problem("permessage-deflate", [{ serverNoContextTakeover: true }]), /fits none of the offers/);
  });
});

describe("the reference protocol's dialect", () => {
  it("escapes text byte for byte as JSON.stringify does, so the hub's echo is the request itself", () => {
    const texts = ["plain", 'quote " and \\ backslash', "tab\tnewline\nreturn\rbell\u0007nul\u0000", "κόσμε €", "\u2028\ufffe"];
    for (const text of texts) assert.equal(new TextDecoder().decode(jsonEscape(utf8(text))), JSON.stringify(text).slice(1, -1));
    const sent = DIALECTS.wsstress.frame(utf8("hi"), false, true, true);
    assert.equal(new TextDecoder().decode(sent), '{"op":"echo","id":1,"p":"hi"}');
    assert.equal(DIALECTS.wsstress.overhead, sent.length - 2);
  });

  it("keeps an invalid UTF-8 sequence as it is, for the server's own check to meet", () => {
    const invalid = Uint8Array.from([0x41, 0xed, 0xa0, 0x80, 0x22]);
    assert.deepEqual(jsonEscape(invalid), Uint8Array.from([0x41, 0xed, 0xa0, 0x80, 0x5c, 0x22]));
  });
});

describe("the case catalogue", () => {
  it("holds Autobahn's groups and counts, plus wsstress's two unmasked-frame cases", () => {
    assert.deepEqual(Object.fromEntries(CASE_GROUPS.map((g) => [g.id, g.cases.length])), {
      1: 18,
      2: 11,
      3: 7,
      4: 10,
      5: 20,
      6: 145,
      7: 37,
      9: 54,
      12: 90,
      13: 126,
    });
    assert.equal(new Set(ALL_CASES.map((c) => c.id)).size, ALL_CASES.length);
    assert.deepEqual(CASE_GROUPS.filter((g) => g.optIn).map((g) => g.id), ["9", "12", "13"]);
  });

  it("has the UTF-8 sequences Autobahn's 6.5 to 6.23 use, valid or not as RFC 3629 says", () => {
    const verdicts = UTF8_SECTIONS.map((s) => s.sequences.map((q) => (validUtf8(q) ? "V" : "x")).join(""));
    assert.equal(verdicts.join("").length, 132);
    assert.deepEqual(verdicts.slice(0, 3), ["VVVVV", "xVxxVxVxVxV", "VVVV"]);
    assert.equal(verdicts[17], "V".repeat(34));
  });

  it("picks cases by id and pattern, the slow groups only when named, and refuses what names none", () => {
    assert.equal(selectCases([]).length, 248);
    assert.deepEqual(selectCases(["2.1", "7.7.*"]).map((c) => c.id), ["2.1", ...Array.from({ length: 13 }, (_, i) => `7.7.${i + 1}`)]);
    assert.equal(selectCases(["*"]).length, ALL_CASES.length);
    assert.equal(selectCases(["9.*"]).length, 54);
    assert.throws(() => selectCases(["8.*"], "--cases"), /^RangeError: --cases: "8\.\*" matches no case; allowed: case ids and patterns/);
    assert.throws(() => selectCases(["1.x"], "--cases"), /"1\.x" is not a case id or pattern/);
  });
});
