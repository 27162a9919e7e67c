/**
 * The MQTT packets the mqtt profile uses, for MQTT 3.1.1 (protocol level 4)
 * and MQTT 5 (level 5), written from the two specifications' packet layouts:
 * a fixed header (type and flags, then the remaining length as a variable
 * byte integer), a variable header, a payload. MQTT 5 adds a properties block
 * (its length, then the properties) to most packets; the client sends none and
 * skips the server's, and a reason code where 3.1.1 had a return code.
 *
 * Over WebSocket, packets need not align with frames (MQTT 5 §6.0: a frame may
 * hold several packets or part of one), so `MqttReader` reassembles the byte
 * stream and hands back whole packets. Runtime-free: bytes and TextEncoder only.
 */

export type MqttVersion = 4 | 5;
export type QoS = 0 | 1;

/** A packet from the server, decoded as far as the profile needs it. */
export type MqttPacket =
  | { type: "connack"; sessionPresent: boolean; code: number }
  | { type: "publish"; qos: number; dup: boolean; topic: string; id: number; payload: Uint8Array }
  | { type: "puback"; id: number; code: number }
  | { type: "suback"; id: number; codes: number[] }
  | { type: "unsuback"; id: number; codes: number[] }
  | { type: "pingresp" }
  | { type: "disconnect"; code: number }
  | { type: "other"; kind: number };

const CONNACK = 2, PUBLISH = 3, PUBACK = 4, SUBACK = 9, UNSUBACK = 11, PINGRESP = 13, DISCONNECT = 14;

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** the remaining length as a variable byte integer (at most 268,435,455) */
function lengthBytes(n: number): number[] {
  if (n > 268_435_455) throw new RangeError(`an MQTT packet of ${n} bytes is over the protocol's limit`);
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 128;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** A packet from its first byte and its parts (numbers are single bytes, arrays are copied as they are). */
function packet(first: number, parts: ReadonlyArray<Uint8Array | number>): Uint8Array {
  let body = 0;
  for (const p of parts) body += typeof p === "number" ? 1 : p.length;
  const head = [first, ...lengthBytes(body)];
  const out = new Uint8Array(head.length + body);
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    if (typeof p === "number") out[at++] = p;
    else out.set(p, at), (at += p.length);
  }
  return out;
}

/** a UTF-8 string with its two-byte length */
export function mqttString(s: string): Uint8Array {
  const bytes = utf8.encode(s);
  if (bytes.length > 65_535) throw new RangeError(`an MQTT string of ${bytes.length} bytes is over 65,535`);
  const out = new Uint8Array(bytes.length + 2);
  out[0] = bytes.length >> 8;
  out[1] = bytes.length & 255;
  out.set(bytes, 2);
  return out;
}

const u16 = (n: number): Uint8Array => Uint8Array.of(n >> 8, n & 255);
/** MQTT 5's empty properties block */
const NO_PROPERTIES = new Uint8Array([0]);
const props = (version: MqttVersion): Uint8Array[] => (version === 5 ? [NO_PROPERTIES] : []);

export type ConnectFields = {
  version: MqttVersion;
  clientId: string;
  keepAliveSeconds: number;
  username?: string;
  password?: string;
};

export function encodeConnect(c: ConnectFields): Uint8Array {
  const flags = (c.username !== undefined ? 0x80 : 0) | (c.password !== undefined ? 0x40 : 0) | 0x02; // clean start
  const payload = [mqttString(c.clientId)];
  if (c.username !== undefined) payload.push(mqttString(c.username));
  if (c.password !== undefined) payload.push(mqttString(c.password));
  return packet(0x10, [mqttString("MQTT"), c.version, flags, u16(c.keepAliveSeconds), ...props(c.version), ...payload]);
}

/** A PUBLISH; `id` (1–65535) only at QoS 1. `topic` may be given already encoded, as `mqttString` makes it. */
export function encodePublish(version: MqttVersion, topic: Uint8Array, qos: QoS, id: number, payload: Uint8Array): Uint8Array {
  // the hot path of every MQTT run: one allocation, no parts list
  const body = topic.length + (qos > 0 ? 2 : 0) + (version === 5 ? 1 : 0) + payload.length;
  const head = lengthBytes(body);
  const out = new Uint8Array(1 + head.length + body);
  out[0] = 0x30 | (qos << 1);
  out.set(head, 1);
  let at = 1 + head.length;
  out.set(topic, at);
  at += topic.length;
  if (qos > 0) (out[at++] = id >> 8), (out[at++] = id & 255);
  if (version === 5) out[at++] = 0;
  out.set(payload, at);
  return out;
}

/** the PUBACK a client owes for a QoS 1 delivery (reason "success" is implied by its length in MQTT 5) */
export const encodePuback = (id: number): Uint8Array => Uint8Array.of(0x40, 2, id >> 8, id & 255);

export function encodeSubscribe(version: MqttVersion, id: number, topic: string, qos: QoS): Uint8Array {
  return packet(0x82, [u16(id), ...props(version), mqttString(topic), qos]);
}

export function encodeUnsubscribe(version: MqttVersion, id: number, topic: string): Uint8Array {
  return packet(0xa2, [u16(id), ...props(version), mqttString(topic)]);
}

export const PINGREQ: Uint8Array = Uint8Array.of(0xc0, 0);
export const DISCONNECT_PACKET: Uint8Array = Uint8Array.of(0xe0, 0);

/** Reads the packets of one connection's byte stream, frame by frame. */
export class MqttReader {
  readonly #version: MqttVersion;
  /** bytes of a packet not yet whole */
  #pending: Uint8Array | undefined;

  constructor(version: MqttVersion) {
    this.#version = version;
  }

  /** The whole packets `bytes` completes, in order; throws on a malformed one (the stream is then unreadable). */
  push(bytes: Uint8Array): MqttPacket[] {
    let buf = bytes;
    if (this.#pending) {
      buf = new Uint8Array(this.#pending.length + bytes.length);
      buf.set(this.#pending);
      buf.set(bytes, this.#pending.length);
      this.#pending = undefined;
    }
    const out: MqttPacket[] = [];
    let at = 0;
    while (at < buf.length) {
      // the remaining length: up to four bytes after the first
      let length = 0, multiplier = 1, i = at + 1, whole = false;
      for (; i < buf.length && i <= at + 4; i++) {
        length += (buf[i] & 127) * multiplier;
        multiplier *= 128;
        if ((buf[i] & 128) === 0) {
          whole = true;
          break;
        }
      }
      if (!whole && i > at + 4) throw new RangeError("malformed remaining length");
      if (!whole || i + 1 + length > buf.length) break;
      out.push(this.#read(buf[at], buf.subarray(i + 1, i + 1 + length)));
      at = i + 1 + length;
    }
    if (at < buf.length) this.#pending = buf.slice(at);
    return out;
  }

  /** after the packet identifier: the properties of an MQTT 5 packet skipped; resolves where the rest starts */
  #skipProperties(body: Uint8Array, at: number): number {
    if (this.#version !== 5 || at >= body.length) return at;
    let length = 0, multiplier = 1;
    for (let i = 0; i < 4; i++) {
      const b = body[at++];
      length += (b & 127) * multiplier;
      multiplier *= 128;
      if ((b & 128) === 0) break;
    }
    return at + length;
  }

  #read(first: number, body: Uint8Array): MqttPacket {
    const kind = first >> 4;
    const id = body.length >= 2 ? (body[0] << 8) | body[1] : 0;
    switch (kind) {
      case CONNACK:
        return { type: "connack", sessionPresent: (body[0] & 1) === 1, code: body[1] ?? 0 };
      case PUBLISH: {
        const qos = (first >> 1) & 3;
        const topicLength = (body[0] << 8) | body[1];
        const topic = text.decode(body.subarray(2, 2 + topicLength));
        let at = 2 + topicLength;
        const packetId = qos > 0 ? (body[at] << 8) | body[at + 1] : 0;
        if (qos > 0) at += 2;
        at = this.#skipProperties(body, at);
        return { type: "publish", qos, dup: (first & 8) === 8, topic, id: packetId, payload: body.subarray(at) };
      }
      case PUBACK:
        return { type: "puback", id, code: body.length > 2 ? body[2] : 0 };
      case SUBACK:
      case UNSUBACK: {
        const at = this.#skipProperties(body, 2);
        return { type: kind === SUBACK ? "suback" : "unsuback", id, codes: [...body.subarray(at)] };
      }
      case PINGRESP:
        return { type: "pingresp" };
      case DISCONNECT:
        return { type: "disconnect", code: body.length > 0 ? body[0] : 0 };
      default:
        return { type: "other", kind };
    }
  }
}

/** What MQTT 3.1.1's CONNACK return codes and MQTT 5's reason codes (0x80 and up) say, for error messages. */
export function mqttCodeText(code: number): string {
  const v4: Record<number, string> = {
    1: "unacceptable protocol version",
    2: "identifier rejected",
    3: "server unavailable",
    4: "bad user name or password",
    5: "not authorized",
  };
  const v5: Record<number, string> = {
    0x80: "unspecified error",
    0x84: "unsupported protocol version",
    0x85: "client identifier not valid",
    0x86: "bad user name or password",
    0x87: "not authorized",
    0x88: "server unavailable",
    0x8f: "topic filter invalid",
    0x97: "quota exceeded",
  };
  return `${code} (0x${code.toString(16).padStart(2, "0")}${(v4[code] ?? v5[code]) ? `: ${v4[code] ?? v5[code]}` : ""})`;
}
