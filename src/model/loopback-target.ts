/**
 * Where load may go. wsstress sends load only to loopback (127.0.0.0/8, ::1,
 * localhost) unless the caller says a remote host is meant: a load tool must
 * not hit a production host because of a typo.
 */
import { inputError } from "./input-error.ts";

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
}

const ALLOWED = "a ws:// or wss:// URL on loopback (127.0.0.0/8, ::1, localhost), or any host with allowRemote: true (--allow-remote)";

/** Checks a target URL; a RangeError worded by the input formatter, `subject` naming the option as the caller does. */
export function checkTarget(url: string, allowRemote: boolean, subject = "target"): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw inputError(subject, `"${url}" is not a URL`, ALLOWED);
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") throw inputError(subject, `"${url}" uses ${parsed.protocol}//`, ALLOWED);
  if (!allowRemote && !isLoopback(parsed.hostname)) {
    throw inputError(subject, `"${url}" is not on loopback, and remote load was not asked for`, ALLOWED);
  }
  return parsed.href;
}
