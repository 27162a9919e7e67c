/**
 * What a handshake header or subprotocol may be (RFC 9110 tokens, RFC 6455
 * §4.1): checked up front, so a typo is a clear error rather than a refused
 * handshake on every connection. `subject` names the option as the caller
 * does (`headers`, `--header`).
 */
import { inputError } from "./input-error.ts";

const AS_TOKEN = "a token: letters, digits and !#$%&'*+.^_`|~-";
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** set by the WebSocket client itself: a caller's value would break the handshake */
const RESERVED = new Set([
  "host",
  "upgrade",
  "connection",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
]);

export function checkHeader(name: string, value: string, subject = "headers"): void {
  if (!TOKEN.test(name)) throw inputError(subject, `header name "${name}" is not a token`, `a header name that is ${AS_TOKEN}`);
  if (RESERVED.has(name.toLowerCase())) {
    throw inputError(
      subject,
      `header ${name} is set by the WebSocket handshake itself`,
      "any other header (subprotocols for Sec-WebSocket-Protocol)",
    );
  }
  if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
    throw inputError(subject, `the value of header ${name} holds CR, LF or NUL`, "a string without CR, LF or NUL");
  }
}

export function checkSubprotocol(protocol: string, subject = "subprotocols"): void {
  if (typeof protocol !== "string" || !TOKEN.test(protocol)) {
    throw inputError(subject, `subprotocol "${protocol}" is not a token`, AS_TOKEN);
  }
}
