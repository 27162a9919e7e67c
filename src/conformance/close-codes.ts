/**
 * Which close codes may appear on the wire (RFC 6455 §7.4 and the IANA
 * registry): 1000–1003 and 1007–1014 are defined, 3000–4999 are for
 * libraries and applications; 1004–1006 and 1015 are reserved or never sent,
 * and everything else below 3000 is unassigned. A close payload is either
 * empty or a code with an optional UTF-8 reason.
 * https://www.iana.org/assignments/websocket/websocket.xml#close-code-number
 */
import { validUtf8 } from "./utf8-check.ts";

const NAMES: Record<number, string> = {
  1000: "Normal Closure",
  1001: "Going Away",
  1002: "Protocol Error",
  1003: "Unsupported Data",
  1007: "Invalid Payload Data",
  1008: "Policy Violation",
  1009: "Message Too Big",
  1010: "Mandatory Extension",
  1011: "Internal Error",
  1012: "Service Restart",
  1013: "Try Again Later",
  1014: "Bad Gateway",
};

/** `1009 (Message Too Big)`, or the bare number for a code without a registered name. */
export const closeCodeText = (code: number): string => (NAMES[code] ? `${code} (${NAMES[code]})` : String(code));

export function validCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** What is wrong with a close frame's payload, or undefined. */
export function closeCodeProblem(payload: Uint8Array): string | undefined {
  if (payload.length === 0) return undefined;
  if (payload.length === 1) return "a payload of 1 byte, too short for a code";
  const code = (payload[0] << 8) | payload[1];
  if (!validCloseCode(code)) return `code ${code} may not be sent`;
  if (!validUtf8(payload.subarray(2))) return "the reason is not valid UTF-8";
  return undefined;
}
