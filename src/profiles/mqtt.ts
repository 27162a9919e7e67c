/**
 * MQTT 3.1.1 and 5 over WebSocket (subprotocol `mqtt`, binary frames), with
 * the codec of `mqtt-codec.ts`. Every connection sends CONNECT and counts as
 * open on a CONNACK that accepts it (a refusal's return or reason code fails
 * it), then sends a PINGREQ every half keep-alive and closes, as a client
 * should, when no PINGRESP comes within twice the keep-alive.
 *
 * The suites map onto MQTT like this:
 * - message: a QoS 1 PUBLISH timed to its PUBACK (`message=puback`, the
 *   default), or a QoS 0 PUBLISH to a topic the connection subscribed to in
 *   its setup, timed until it comes back (`message=loopback`; compression
 *   needs it, since a PUBACK carries no payload back);
 * - subscription: SUBSCRIBE/SUBACK and UNSUBSCRIBE/UNSUBACK, by packet id;
 * - broadcast: a topic's fan-out, once at each QoS (`qos=0,1`): QoS 0 and
 *   QoS 1 are reported apart, and a second copy at QoS 1 is legal
 *   (at least once), labelled so, never failed;
 * - permission: the role's token as CONNECT's password (a CONNACK refusal
 *   fails the connection), SUBACK's failure codes as denies; publish
 *   decisions only in MQTT 5, whose PUBACK carries a reason code (a 3.1.1
 *   broker closes the connection instead, MQTT-3.3.5-2).
 *
 * Credentials: `--auth username=… --auth password=…` fill CONNECT; a role's
 * token is the password (with the user name "wsstress" when none is given).
 */
import type { Frame } from "../model/runtime-contract.ts";
import type { Reply } from "../protocol/messages.ts";
import {
  encodeConnect,
  encodePuback,
  encodePublish,
  encodeSubscribe,
  encodeUnsubscribe,
  mqttCodeText,
  type MqttPacket,
  MqttReader,
  mqttString,
  PINGREQ,
  type QoS,
} from "./mqtt-codec.ts";
import { channelOf, MQTT_DEFAULTS, type MqttOptions, mqttOptionsOf, topicOf } from "./mqtt-options.ts";
import type { Decoded, DeliveryClass, Exchange, FrameDecoded, Link, Profile, Session } from "./profile.ts";

const utf8 = new TextEncoder();
const text = new TextDecoder();
/** client ids must be unique on a broker (a second CONNECT with one takes the first's session over): per process, then a count */
const PROCESS_TAG = `wss${Math.random().toString(36).slice(2, 8)}-`;
let clients = 0;

/** the numbers in front of a payload's stamp (`id:…` for an echo, `seq:ts:…` for a publish); NaN where there is none */
function stampOf(payload: Uint8Array): [number, number] {
  const [a, b] = text.decode(payload.subarray(0, 48)).split(":", 2);
  return [b === undefined ? NaN : Number(a), Number(b)];
}

class MqttSession implements Session {
  readonly #o: MqttOptions;
  readonly #link: Link;
  readonly #clientId = PROCESS_TAG + (clients++).toString(36);
  #reader: MqttReader;
  /** packets read during the setup after the one it waited for */
  #backlog: MqttPacket[] = [];
  /** the request each packet id still waiting answers */
  readonly #waiting = new Map<number, { id: number; echo: boolean }>();
  #nextPacketId = 0;
  readonly #topics = new Map<string, Uint8Array>();
  /** the topic this connection's echoes go to (and, with message=loopback, come back from) */
  readonly #echoTopic: string;
  readonly #echoTopicBytes: Uint8Array;
  readonly #topQos: QoS;
  /** while the setup reads the stream itself, decode leaves frames to it */
  #settingUp = false;

  constructor(link: Link, options: MqttOptions) {
    this.#link = link;
    this.#o = options;
    this.#reader = new MqttReader(options.version);
    this.#echoTopic = `${options.prefix}wsstress/echo/${this.#clientId}`;
    this.#echoTopicBytes = mqttString(this.#echoTopic);
    this.#topQos = Math.max(...options.qos) as QoS;
  }

  /** the first packet `want` accepts: every frame of the setup is read here, in order; the others wait for decode */
  async #until(exchange: Exchange, want: (p: MqttPacket) => boolean): Promise<MqttPacket> {
    for (;;) {
      const at = this.#backlog.findIndex(want);
      if (at >= 0) return this.#backlog.splice(at, 1)[0];
      const frame = await exchange.expect(() => true);
      if (typeof frame !== "string") this.#backlog.push(...this.#reader.push(frame));
    }
  }

  async setup(exchange: Exchange): Promise<void> {
    this.#settingUp = true;
    const { auth, token } = this.#link;
    const password = token ?? auth?.password;
    const username = auth?.username ?? (password === undefined ? undefined : "wsstress");
    const { version, keepAliveSeconds } = this.#o;
    exchange.send(encodeConnect({ version, clientId: auth?.clientId ?? this.#clientId, keepAliveSeconds, username, password }));
    const connack = await this.#until(exchange, (p) => p.type === "connack");
    if (connack.type === "connack" && connack.code !== 0) throw new Error(`CONNACK refused the connection: ${mqttCodeText(connack.code)}`);
    if (this.#o.message === "loopback") {
      const id = this.#packetId();
      exchange.send(encodeSubscribe(version, id, this.#echoTopic, 0));
      const suback = await this.#until(exchange, (p) => p.type === "suback" && p.id === id);
      this.#waiting.delete(id);
      if (suback.type === "suback" && !(suback.codes[0] < 0x80)) {
        throw new Error(`SUBACK refused the echo topic ${this.#echoTopic}: ${mqttCodeText(suback.codes[0] ?? 0x80)}`);
      }
    }
    this.#settingUp = false;
    const ms = keepAliveSeconds * 1000;
    this.#link.keepAlive(ms / 2, PINGREQ);
    this.#link.heartbeatWithin(2 * ms);
  }

  /** a packet id (1–65535) not in use on this connection; `id` and `echo` name the request it answers */
  #packetId(id = -1, echo = false): number {
    do this.#nextPacketId = (this.#nextPacketId % 65_535) + 1; while (this.#waiting.has(this.#nextPacketId));
    this.#waiting.set(this.#nextPacketId, { id, echo });
    return this.#nextPacketId;
  }

  #topic(channel: string): Uint8Array {
    let bytes = this.#topics.get(channel);
    if (!bytes) this.#topics.set(channel, bytes = mqttString(topicOf(this.#o.prefix, channel)));
    return bytes;
  }

  decode(frame: Frame): FrameDecoded {
    if (typeof frame === "string" || this.#settingUp) return undefined;
    let packets: MqttPacket[];
    try {
      packets = this.#reader.push(frame);
    } catch {
      // a malformed packet leaves the rest of the stream unreadable
      this.#reader = new MqttReader(this.#o.version);
      return undefined;
    }
    if (this.#backlog.length > 0) packets = [...this.#backlog.splice(0), ...packets];
    return packets.length === 1 ? this.#read(packets[0]) : packets.map((p) => this.#read(p));
  }

  #answer(packetId: number, ok: boolean): Reply | "unmatched" {
    const request = this.#waiting.get(packetId);
    if (!request) return "unmatched";
    this.#waiting.delete(packetId);
    return request.echo ? { op: "echo", id: request.id, p: "" } : { op: "ack", id: request.id, ok };
  }

  #read(p: MqttPacket): Decoded {
    switch (p.type) {
      case "publish": {
        if (p.qos === 1) this.#link.send(encodePuback(p.id));
        const [first, second] = stampOf(p.payload);
        if (!Number.isSafeInteger(first)) return undefined;
        if (p.topic === this.#echoTopic) return { op: "echo", id: first, p: "" };
        return Number.isFinite(second) ? { op: "msg", ch: channelOf(this.#o.prefix, p.topic), seq: first, ts: second, p: "" } : undefined;
      }
      case "puback":
        return this.#answer(p.id, p.code < 0x80);
      case "suback":
        return this.#answer(p.id, p.codes.length > 0 && p.codes.every((c) => c < 0x80));
      case "unsuback":
        // 3.1.1's UNSUBACK has no codes; 5's has one per topic filter
        return this.#answer(p.id, p.codes.every((c) => c < 0x80));
      case "pingresp":
        return "heartbeat";
      case "disconnect":
        // the broker ends the connection (MQTT 5), with a reason code
        this.#link.lost(`the broker sent DISCONNECT, reason ${mqttCodeText(p.code)}`);
        return "control";
      default:
        return undefined;
    }
  }

  echo(id: number, payload: string): Frame {
    const body = utf8.encode(`${id}:${payload}`);
    if (this.#o.message === "loopback") return encodePublish(this.#o.version, this.#echoTopicBytes, 0, 0, body);
    return encodePublish(this.#o.version, this.#echoTopicBytes, 1, this.#packetId(id, true), body);
  }

  subscribe(id: number, channel: string): Frame {
    return encodeSubscribe(this.#o.version, this.#packetId(id), topicOf(this.#o.prefix, channel), this.#topQos);
  }

  unsubscribe(id: number, channel: string): Frame {
    return encodeUnsubscribe(this.#o.version, this.#packetId(id), topicOf(this.#o.prefix, channel));
  }

  publish(id: number, channel: string, seq: number, ts: number, payload: string, cls?: number): Frame {
    const qos = cls === undefined ? this.#topQos : this.#o.qos[cls];
    const body = utf8.encode(`${seq}:${ts}:${payload}`);
    return encodePublish(this.#o.version, this.#topic(channel), qos, qos > 0 ? this.#packetId(id) : 0, body);
  }
}

const CLASSES: Record<QoS, DeliveryClass> = {
  0: { label: "QoS 0", duplicatesLegal: false, acked: false },
  1: { label: "QoS 1", duplicatesLegal: true, acked: true },
};

/** The name a profile with options `o` goes by, which any worker process rebuilds it from: `mqtt?version=5&qos=1`. */
function specOf(o: MqttOptions): string {
  const d = MQTT_DEFAULTS;
  const query = new URLSearchParams();
  if (o.version !== d.version) query.set("version", o.version === 5 ? "5" : "3.1.1");
  if (o.qos.join(",") !== d.qos.join(",")) query.set("qos", o.qos.join(","));
  if (o.message !== d.message) query.set("message", o.message);
  if (o.keepAliveSeconds !== d.keepAliveSeconds) query.set("keepalive", String(o.keepAliveSeconds));
  if (o.prefix !== d.prefix) query.set("prefix", o.prefix);
  return query.size > 0 ? `mqtt?${query}` : "mqtt";
}

/** The mqtt profile with `options`, checked; `module` is the name it goes by (`mqtt?version=5`), made from the options when absent. */
export function mqttProfile(options: Partial<MqttOptions> = {}, module?: string): Profile {
  const spec = specOf({ ...MQTT_DEFAULTS, ...options });
  const o = mqttOptionsOf(spec.split("?")[1] ?? "");
  const acked = o.qos.includes(1);
  return {
    name: "mqtt",
    module: module ?? spec,
    operations: ["echo", "subscribe", "unsubscribe", "publish", "authenticate", "acks"],
    setup: true,
    protocols: ["mqtt"],
    deliveryClasses: o.qos.map((q) => CLASSES[q]),
    ...(o.message === "puback" ? { echoWithoutPayload: "a PUBACK (mqtt?message=loopback echoes the payload)" } : {}),
    publishRefusals: o.version === 5,
    open: (link) => new MqttSession(link, o),
    // a publish without a class goes at the highest QoS: acknowledged when that is 1
    publishAcked: acked,
    defaultTokens: { subscriber: "subscriber-token", publisher: "publisher-token", admin: "admin-token" },
    serverStats: false,
    reference: false,
  };
}
