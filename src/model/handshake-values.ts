/**
 * What a handshake header or subprotocol may be (RFC 9110 tokens, RFC 6455
 * §4.1): checked up front, so a typo is a clear error rather than a refused
 * handshake on every connection.
 */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** set by the WebSocket client itself: a caller's value would break the handshake */
const RESERVED = new Set(["host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol"]);

export function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw new RangeError(`header name "${name}" is not a token (letters, digits and !#$%&'*+.^_\`|~-)`);
  if (RESERVED.has(name.toLowerCase())) throw new RangeError(`header ${name} is set by the WebSocket handshake itself; allowed: any other header (use subprotocols for Sec-WebSocket-Protocol)`);
  if (typeof value !== "string" || /[\r\n\0]/.test(value)) throw new RangeError(`header ${name}: the value must be a string without CR, LF or NUL`);
}

export function checkSubprotocol(protocol: string): void {
  if (typeof protocol !== "string" || !TOKEN.test(protocol)) throw new RangeError(`subprotocol "${protocol}" is not a token (letters, digits and !#$%&'*+.^_\`|~-)`);
}
