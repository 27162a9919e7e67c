/**
 * The mqtt profile's options (`mqtt?version=5&qos=1&message=loopback`), and
 * how a suite's channel becomes a topic: `public.broadcast` is
 * `public/broadcast` (after the prefix, if one is given), so a broker's ACL
 * by topic level sees `public`, `news`, `private`.
 */
import type { MqttVersion, QoS } from "./mqtt-codec.ts";
import { type OptionSpec, readProfileOptions } from "./profile-options.ts";

export type MqttOptions = {
  /** protocol level 4 (MQTT 3.1.1) or 5 */
  version: MqttVersion;
  /** the QoS levels broadcast publishes at, each reported apart; subscriptions ask for the highest */
  qos: readonly QoS[];
  /** message: a QoS 1 PUBLISH timed to its PUBACK, or a QoS 0 PUBLISH to a topic the connection subscribed to itself */
  message: "puback" | "loopback";
  /** CONNECT's keep alive; a PINGREQ goes every half of it, and no PINGRESP within twice it closes the connection */
  keepAliveSeconds: number;
  /** put in front of every topic */
  prefix: string;
};

const SPECS = {
  version: { default: "3.1.1", allowed: ["3.1.1", "5"] },
  qos: { default: "0,1", check: (v: string) => (["0,1", "0", "1"].includes(v) ? undefined : "is not 0, 1 or 0,1 (each reported apart)") },
  message: { default: "puback", allowed: ["puback", "loopback"] },
  keepalive: {
    default: "60",
    check: (
      v: string,
    ) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65_535 ? undefined : "is not a whole number of seconds, 1 to 65535"),
  },
  prefix: {
    default: "",
    check: (v: string) => (v.includes("#") || v.includes("+") || v.includes("\0") ? "holds a wildcard (# or +) or a NUL" : undefined),
  },
} satisfies Record<string, OptionSpec>;

export const MQTT_DEFAULTS: MqttOptions = optionsOf(Object.fromEntries(Object.entries(SPECS).map(([k, s]) => [k, s.default])) as never);

function optionsOf(o: Record<keyof typeof SPECS, string>): MqttOptions {
  return {
    version: o.version === "5" ? 5 : 4,
    qos: o.qos.split(",").map(Number) as QoS[],
    message: o.message as MqttOptions["message"],
    keepAliveSeconds: Number(o.keepalive),
    prefix: o.prefix,
  };
}

/** The options an `mqtt?…` name carries; a RangeError (worded for `subject`) for an unknown or bad one. */
export function mqttOptionsOf(query: string, subject = "profile"): MqttOptions {
  return optionsOf(readProfileOptions("mqtt", query, SPECS, subject));
}

/** a suite's channel as a topic */
export const topicOf = (prefix: string, channel: string): string => prefix + channel.replaceAll(".", "/");
/** a topic back as the suite's channel ("" for one outside the prefix) */
export const channelOf = (
  prefix: string,
  topic: string,
): string => (topic.startsWith(prefix) ? topic.slice(prefix.length).replaceAll("/", ".") : "");
