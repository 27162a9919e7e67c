/**
 * The client's side of the opening handshake (RFC 6455 §4.1), written out by
 * hand so a case controls every header: the request, and the checks on the
 * server's answer (status 101, Upgrade, Connection, the accept key, and the
 * extensions and subprotocol it chose). SHA-1 comes from the Web Crypto
 * API, which Node, Deno and Bun all have as a global.
 * https://www.rfc-editor.org/rfc/rfc6455#section-4.1
 */
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export type HandshakeRequest = {
  url: URL;
  key: string;
  /** Sec-WebSocket-Extensions offers, in order (none when empty) */
  extensions: readonly string[];
  protocols: readonly string[];
  headers: Readonly<Record<string, string>>;
};

export type HandshakeAnswer = {
  status: number;
  /** lower-cased names */
  headers: Map<string, string>;
  /** what was wrong with a 101 answer, if anything */
  problem?: string;
};

export function newKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export async function acceptFor(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(key + GUID)));
  return btoa(String.fromCharCode(...digest));
}

export function requestText(request: HandshakeRequest): string {
  const { url } = request;
  const lines = [
    `GET ${url.pathname || "/"}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${request.key}`,
    "Sec-WebSocket-Version: 13",
  ];
  if (request.extensions.length > 0) lines.push(`Sec-WebSocket-Extensions: ${request.extensions.join(", ")}`);
  if (request.protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${request.protocols.join(", ")}`);
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  return lines.join("\r\n") + "\r\n\r\n";
}

/** The index just past the header block's blank line, or -1 while it has not all come. */
export function headEnd(bytes: Uint8Array): number {
  for (let i = 3; i < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i - 1] === 13 && bytes[i - 2] === 10 && bytes[i - 3] === 13) return i + 1;
  }
  return -1;
}

/**
 * The status and headers of the answer; for a 101, anything RFC 6455 §4.1
 * makes the client refuse. `accept` is `acceptFor(request.key)`, worked out
 * before the answer comes so that reading it never waits.
 */
export function readAnswer(head: string, request: HandshakeRequest, accept: string): HandshakeAnswer {
  const [statusLine, ...rest] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = new Map<string, string>();
  for (const line of rest) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // repeated headers join with a comma, as HTTP allows for lists
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  if (status !== 101) return { status, headers };
  const problem = answerProblem(headers, request, accept);
  return problem === undefined ? { status, headers } : { status, headers, problem };
}

function answerProblem(headers: Map<string, string>, request: HandshakeRequest, expected: string): string | undefined {
  if (headers.get("upgrade")?.toLowerCase() !== "websocket") return `Upgrade is "${headers.get("upgrade") ?? ""}", not websocket`;
  const connection = (headers.get("connection") ?? "").toLowerCase().split(",").map((t) => t.trim());
  if (!connection.includes("upgrade")) return `Connection is "${headers.get("connection") ?? ""}", without upgrade`;
  const accept = headers.get("sec-websocket-accept");
  if (accept !== expected) return `Sec-WebSocket-Accept is "${accept ?? ""}", not the key's`;
  const protocol = headers.get("sec-websocket-protocol");
  if (protocol !== undefined && !request.protocols.includes(protocol)) {
    return `the server chose subprotocol "${protocol}", which was not offered`;
  }
  if (headers.has("sec-websocket-extensions") && request.extensions.length === 0) {
    return `the server answered extensions "${headers.get("sec-websocket-extensions")}" that were not offered`;
  }
  return undefined;
}
