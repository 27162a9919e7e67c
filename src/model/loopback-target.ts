/**
 * Where load may go. wsstress sends load only to loopback (127.0.0.0/8, ::1,
 * localhost) unless the caller says a remote host is meant: a load tool must
 * not hit a production host because of a typo.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((octet) => Number(octet) <= 255);
}

/** Checks a target URL; throws a RangeError that says what is wrong and what is allowed. */
export function checkTarget(url: string, allowRemote: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`target "${url}" is not a URL; expected ws://host:port/path or wss://…`);
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw new RangeError(`target "${url}" must use ws:// or wss://, not ${parsed.protocol}//`);
  }
  if (!allowRemote && !isLoopback(parsed.hostname)) {
    throw new RangeError(
      `target "${url}" is not on loopback (127.0.0.0/8, ::1, localhost); to load a remote host say so with allowRemote: true (--allow-remote)`,
    );
  }
  return parsed.href;
}
