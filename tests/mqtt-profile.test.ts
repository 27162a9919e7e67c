/**
 * The mqtt profile: its codec against `mqtt-packet` (the codec aedes and
 * MQTT.js use), then the real aedes broker (`examples/servers/mqtt-aedes.ts`,
 * MQTT 3.1.1, on Node in a process of its own) and, for MQTT 5 and faults
 * aedes cannot show, the broker of `fixtures/mqtt-broker.ts` built on
 * mqtt-packet. Failure paths first: a CONNACK refusal, a broker that stops
 * forwarding to a subscriber, one that lets a guest into private/…, one that
 * never answers PINGREQ, one that delivers everything twice; then every suite
 * at minimal and light with its counts exact.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import mqtt from "mqtt-packet";
import { mqttProfile, stress } from "../mod.ts";
import { ErrorTally } from "../src/load/error-tally.ts";
import { openPool } from "../src/load/pool.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { detectRuntime } from "../src/host/system-info.ts";
import { builtinProfile } from "../src/profiles/builtin.ts";
import { encodeConnect, encodePublish, encodeSubscribe, encodeUnsubscribe, MqttReader, mqttString } from "../src/profiles/mqtt-codec.ts";
import { type MqttBroker, type MqttBrokerMode, startMqttBroker } from "./fixtures/mqtt-broker.ts";
import {
  assertClean,
  assertExactCounts,
  errorsOf,
  type LevelName,
  pacedAnswered,
  permissionDecisions,
  suiteOf,
  useProtocolServer,
  wire,
} from "./_protocol-runs.ts";

const runtime = detectRuntime();

function useBroker(mode: MqttBrokerMode): { broker: MqttBroker } {
  const used = {} as { broker: MqttBroker };
  before(async () => {
    used.broker = await startMqttBroker(mode);
  });
  after(() => used.broker?.close());
  return used;
}

/** what mqtt-packet reads from bytes of ours */
function theirs(bytes: Uint8Array, protocolVersion: 4 | 5): mqtt.Packet[] {
  const parser = mqtt.parser({ protocolVersion });
  const packets: mqtt.Packet[] = [];
  parser.on("packet", (p: mqtt.Packet) => packets.push(p));
  parser.on("error", (e: Error) => assert.fail(e.message));
  parser.parse(Buffer.from(bytes));
  return packets;
}

describe("the MQTT codec, against mqtt-packet", () => {
  for (const version of [4, 5] as const) {
    it(`writes CONNECT, PUBLISH, SUBSCRIBE and UNSUBSCRIBE that mqtt-packet reads back (protocol level ${version})`, () => {
      const [connect] = theirs(encodeConnect({ version, clientId: "c1", keepAliveSeconds: 30, username: "u", password: "pw" }), version);
      assert.equal(connect.cmd, "connect");
      assert.deepEqual([connect.protocolVersion, connect.clientId, connect.keepalive, connect.username, String(connect.password)], [
        version,
        "c1",
        30,
        "u",
        "pw",
      ]);
      const payload = new TextEncoder().encode("7:1700000000000:tick");
      const [pub0, pub1] = theirs(
        new Uint8Array([
          ...encodePublish(version, mqttString("public/a"), 0, 0, payload),
          ...encodePublish(version, mqttString("public/a"), 1, 513, payload),
        ]),
        version,
      );
      assert.deepEqual([pub0.cmd, (pub0 as mqtt.IPublishPacket).qos, (pub0 as mqtt.IPublishPacket).topic], ["publish", 0, "public/a"]);
      assert.deepEqual([(pub1 as mqtt.IPublishPacket).qos, (pub1 as mqtt.IPublishPacket).messageId], [1, 513]);
      assert.equal(String((pub1 as mqtt.IPublishPacket).payload), "7:1700000000000:tick");
      const [sub] = theirs(encodeSubscribe(version, 9, "news/b", 1), version) as mqtt.ISubscribePacket[];
      assert.deepEqual([sub.messageId, sub.subscriptions[0].topic, sub.subscriptions[0].qos], [9, "news/b", 1]);
      const [unsub] = theirs(encodeUnsubscribe(version, 10, "news/b"), version) as mqtt.IUnsubscribePacket[];
      assert.deepEqual([unsub.messageId, unsub.unsubscriptions], [10, ["news/b"]]);
    });

    it(`reads what mqtt-packet writes, a byte at a time or several packets in one frame (protocol level ${version})`, () => {
      const opts = { protocolVersion: version };
      const bytes = Buffer.concat([
        mqtt.generate({ cmd: "connack", sessionPresent: false, ...(version === 5 ? { reasonCode: 0x87 } : { returnCode: 5 }) }, opts),
        mqtt.generate({ cmd: "suback", messageId: 3, granted: [1, 0x80] }, opts),
        mqtt.generate({
          cmd: "publish",
          topic: "public/x",
          payload: Buffer.from("1:2:p".repeat(40)),
          qos: 1,
          messageId: 300,
          retain: false,
          dup: true,
        }, opts),
        mqtt.generate({ cmd: "puback", messageId: 300, ...(version === 5 ? { reasonCode: 0x87 } : {}) }, opts),
        mqtt.generate({ cmd: "pingresp" }, opts),
      ]);
      const expected = [
        { type: "connack", sessionPresent: false, code: version === 5 ? 0x87 : 5 },
        { type: "suback", id: 3, codes: [1, 0x80] },
        "publish",
        { type: "puback", id: 300, code: version === 5 ? 0x87 : 0 },
        { type: "pingresp" },
      ];
      const whole = new MqttReader(version).push(bytes);
      const reader = new MqttReader(version);
      const trickled = [...bytes].flatMap((b) => reader.push(Uint8Array.of(b)));
      for (const packets of [whole, trickled]) {
        assert.equal(packets.length, 5);
        const publish = packets[2] as { type: string; qos: number; dup: boolean; id: number; topic: string; payload: Uint8Array };
        assert.deepEqual([publish.type, publish.qos, publish.dup, publish.id, publish.topic], ["publish", 1, true, 300, "public/x"]);
        assert.equal(new TextDecoder().decode(publish.payload), "1:2:p".repeat(40));
        assert.deepEqual([packets[0], packets[1], packets[3], packets[4]], [expected[0], expected[1], expected[3], expected[4]]);
      }
    });
  }

  it("refuses a remaining length longer than four bytes, and options it does not take, in one line", () => {
    assert.throws(() => new MqttReader(4).push(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01)), /malformed remaining length/);
    assert.throws(
      () => builtinProfile("mqtt?qos=2"),
      /^RangeError: profile: mqtt option qos "2" is not 0, 1 or 0,1 \(each reported apart\); allowed: e\.g\. mqtt\?qos=0,1$/,
    );
    assert.throws(() => builtinProfile("mqtt?version=3"), /allowed: 3\.1\.1, 5/);
    assert.throws(() => builtinProfile("mqtt?keepalive=0"), /is not a whole number of seconds, 1 to 65535/);
    assert.throws(() => builtinProfile("mqtt?prefix=a/#/"), /holds a wildcard/);
    assert.equal(mqttProfile({ version: 5, qos: [1] }).module, "mqtt?version=5&qos=1");
    assert.equal(
      builtinProfile("mqtt?prefix=site/a/")?.module,
      "mqtt?prefix=site/a/",
      "a prefix with slashes is an option, not a module path",
    );
  });
});

describe(`a token aedes refuses, from ${runtime}`, () => {
  const used = useProtocolServer("mqtt", {});
  it("fails every connection with setup_refused and CONNACK's return code", async () => {
    const report = await stress().target(used.server.url).profile("mqtt").auth({ password: "stolen-token" }).level("minimal")
      .suite("connection").warmup(false).run();
    const [connection] = report.json.levels[0].suites;
    assert.deepEqual(errorsOf(connection), ["setup_refused × 10", "nothing_measured × 1"]);
    assert.match(connection.errors[0].message, /CONNACK refused the connection: 5 \(0x05: not authorized\)/);
  });
});

describe(`faults in the real aedes broker, from ${runtime}`, () => {
  const used = useProtocolServer("mqtt", { faults: { dropSubscriberAfter: 30, guestsIntoPrivate: true } });
  it("counts what a subscriber the broker stopped forwarding to never got, exactly, QoS 0 and QoS 1 apart", async () => {
    const report = await stress().target(used.server.url).profile("mqtt").level("minimal").suite("broadcast").warmup(false).timeout(1_500)
      .run();
    const [broadcast] = report.json.levels[0].suites;
    // 100 publishes at QoS 0, then 100 at QoS 1, to 5 subscribers; the first gets the first 30 and no more
    // then the paced step's publishes: the dropped subscriber misses every one, the other four get each
    const paced = pacedAnswered(broadcast) / 4;
    assert.ok(Number.isInteger(paced) && paced > 0, `${paced} paced publishes`);
    assert.equal(wire(broadcast, "lost"), 170 + paced);
    assert.deepEqual(errorsOf(broadcast), [`lost × ${170 + paced}`]);
    assert.ok(broadcast.notes.some((n) => /^QoS 0: 430 of 500 deliveries, 70 lost, 0 duplicated/.test(n)), broadcast.notes.join("\n"));
    assert.ok(broadcast.notes.some((n) => /^QoS 1: 400 of 500 deliveries, 100 lost, 0 duplicates \(legal: at least once\)/.test(n)));
    assert.equal(broadcast.verdict, "fail");
  });

  it("counts every subscription a guest was let into private/… as a wrong allow, and fails the suite", async () => {
    const report = await stress().target(used.server.url).profile("mqtt").level("minimal").suite("permission").warmup(false).run();
    const [permission] = report.json.levels[0].suites;
    const expected = permissionDecisions("minimal", true, pacedAnswered(permission));
    assert.equal(wire(permission, "wrong_allows"), expected.guestsIntoPrivate);
    assert.deepEqual(errorsOf(permission), [`wrong_allow × ${expected.guestsIntoPrivate}`]);
    assert.equal(permission.verdict, "fail");
  });
});

describe(`a broker that never answers PINGREQ, from ${runtime}`, () => {
  const used = useBroker("mute-ping");
  it("sends a PINGREQ every half keep-alive, and closes each connection as heartbeat_missed after twice the keep-alive", async () => {
    const errors = new ErrorTally();
    const profile = mqttProfile({ keepAliveSeconds: 1 });
    const pool = await openPool(await currentRuntime(), used.broker.url, 5, { concurrency: 5, timeoutMs: 5_000, errors, profile });
    await new Promise((r) => setTimeout(r, 2_600));
    const open = pool.connections.filter((c) => c.open).length;
    await pool.close(5_000);
    assert.equal(open, 0);
    assert.deepEqual(errors.list().map((e) => `${e.class} × ${e.count}`), ["heartbeat_missed × 5"]);
    assert.ok(used.broker.pingreqs >= 5 * 3, `${used.broker.pingreqs} PINGREQs`);
  });
});

describe(`a broker that delivers everything twice, from ${runtime}`, () => {
  const used = useBroker("twice");
  it("labels the QoS 1 copies legal (at least once) and fails the QoS 0 ones", async () => {
    const report = await stress().target(used.broker.url).profile("mqtt?version=5").level("minimal").suite("broadcast").warmup(false).run();
    const [broadcast] = report.json.levels[0].suites;
    // the paced step publishes with no class, so at the highest QoS (1): each copy of its deliveries is legal too
    const paced = pacedAnswered(broadcast);
    assert.equal(wire(broadcast, "duplicated"), 500, "QoS 0 (at most once): every copy is a fault");
    assert.equal(wire(broadcast, "duplicated_legal"), 500 + paced, "QoS 1: every copy is the protocol's right");
    assert.equal(wire(broadcast, "lost"), 0);
    assert.deepEqual(errorsOf(broadcast), ["duplicate × 500"]);
    assert.ok(broadcast.notes.some((n) => /^QoS 1: 500 of 500 deliveries, 0 lost, 500 duplicates \(legal: at least once\)/.test(n)));
    assert.equal(used.broker.pubacks, (100 * 5 + paced) * 2, "every QoS 1 delivery (and its copy) acknowledged, the paced step's too");
  });
});

describe(`a broker that refuses every CONNECT, in MQTT 5, from ${runtime}`, () => {
  const used = useBroker("refuse");
  it("fails every connection with CONNACK's reason code", async () => {
    const report = await stress().target(used.broker.url).profile("mqtt?version=5").level("minimal").suite("connection").warmup(false)
      .run();
    const [connection] = report.json.levels[0].suites;
    assert.deepEqual(errorsOf(connection), ["setup_refused × 10", "nothing_measured × 1"]);
    assert.match(connection.errors[0].message, /135 \(0x87: not authorized\)/);
  });
});

describe(`every suite in MQTT 5 at minimal and light, from ${runtime}`, () => {
  const used = useBroker("ok");
  it("runs each with no error, publish decisions answered by PUBACK's reason code, every count exact", async () => {
    const report = await stress().target(used.broker.url).profile("mqtt?version=5&message=loopback").level("minimal", "light").warmup(false)
      .run();
    assert.equal(report.json.server.handshake?.subprotocol, "mqtt");
    for (const level of report.json.levels) {
      assertClean(level);
      assertExactCounts(level, level.level.name as LevelName, false);
      assert.ok(!suiteOf(level, "permission").notes.some((n) => /publish decisions skipped/.test(n)));
    }
  });
});

describe(`every suite against the real aedes broker at minimal and light, from ${runtime}`, () => {
  const used = useProtocolServer("mqtt", {});
  it("runs each with no error and every count exact; QoS 0 and QoS 1 apart; publish decisions skipped, with the reason", async () => {
    const report = await stress().target(used.server.url).profile("mqtt").level("minimal", "light").warmup(false).run();
    for (const level of report.json.levels) {
      assertClean(level, { compression: /the mqtt profile's echo reply carries no payload back: a PUBACK/ });
      assertExactCounts(level, level.level.name as LevelName, true);
      const name = level.level.name as LevelName;
      const perClass = level.level.operations / level.level.subscribers / 2 * level.level.subscribers;
      for (const qos of ["QoS 0", "QoS 1"]) {
        assert.ok(
          suiteOf(level, "broadcast").notes.some((n) => n.startsWith(`${qos}: ${perClass} of ${perClass} deliveries, 0 lost`)),
          name,
        );
      }
      assert.ok(suiteOf(level, "permission").notes.some((n) => /publish decisions skipped, because .* closes the connection/.test(n)));
    }
  });

  it("echoes through a topic each connection subscribed to itself, which compression needs", async () => {
    const report = await stress().target(used.server.url).profile("mqtt?message=loopback").level("minimal", "light").suite(
      "message",
      "compression",
    )
      .warmup(false).run();
    for (const level of report.json.levels) assertClean(level);
    assert.equal(suiteOf(report.json.levels[1], "message").histograms["wire.queued_rtt"].count, 10_000, "the capacity phase's");
  });

  it("keeps every connection open past aedes' keep-alive (1.5 × 1 s) with its PINGREQs", async () => {
    const errors = new ErrorTally();
    const profile = mqttProfile({ keepAliveSeconds: 1 });
    const pool = await openPool(await currentRuntime(), used.server.url, 20, { concurrency: 20, timeoutMs: 5_000, errors, profile });
    await new Promise((r) => setTimeout(r, 3_500));
    const open = pool.connections.filter((c) => c.open).length;
    await pool.close(5_000);
    assert.equal(pool.connections.length, 20);
    assert.equal(open, 20);
    assert.deepEqual(errors.list(), []);
  });
});
