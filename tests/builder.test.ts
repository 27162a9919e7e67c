import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { stress } from "../mod.ts";
import { SUITE_NAMES } from "../src/model/result.ts";

describe("the stress() builder", () => {
  it("never changes the builder a call is made on", () => {
    const base = stress().suite("message");
    const light = base.level("light");
    const medium = base.level("medium").window(4);
    assert.deepEqual(base.plan().levels.map((l) => l.name), [
      "minimal",
      "light",
      "low",
      "medium",
      "high",
      "veryHigh",
      "extreme",
      "maximum",
    ]);
    assert.deepEqual(light.plan().levels.map((l) => l.name), ["light"]);
    assert.deepEqual(medium.plan().levels.map((l) => l.name), ["medium"]);
    assert.equal(base.plan().window, 16, "the capacity phase's window when none is set");
    assert.equal(medium.plan().window, 4);
    assert.deepEqual(light.plan().suites, ["message"]);
  });

  it("runs all six suites by default, in the seed's order whatever order they are named in", () => {
    assert.deepEqual(stress().plan().suites, [...SUITE_NAMES]);
    assert.deepEqual(stress().suites("compression", "connection").plan().suites, ["connection", "compression"]);
  });

  it("selects levels by quick, upTo, maxLoad and names, lowest load first", () => {
    assert.deepEqual(stress().quick().plan().levels.map((l) => l.name), ["minimal", "light", "low", "medium"]);
    assert.deepEqual(stress().upTo("low").plan().levels.map((l) => l.name), ["minimal", "light", "low"]);
    assert.deepEqual(stress().maxLoad(50_000).plan().levels.map((l) => l.name), ["minimal", "light", "low"]);
    assert.deepEqual(stress().levels("medium", "minimal").plan().levels.map((l) => l.name), ["minimal", "medium"]);
  });

  it("takes a custom level object and validates it", () => {
    const custom = { name: "tiny", operations: 100, connections: 2, messagesPerConnection: 5, subscribers: 2 };
    assert.deepEqual(stress().level(custom).plan().levels, [custom]);
    assert.throws(() => stress().level({ ...custom, subscribers: 0 }), /Expected >=1/);
  });

  it("refuses unknown levels and suites with the allowed names", () => {
    // @ts-expect-error: an unknown level name, as a JS caller could pass
    assert.throws(() => stress().level("huge"), /unknown level "huge"; allowed: minimal, light/);
    // @ts-expect-error: an unknown suite name
    assert.throws(() => stress().suite("latency"), /unknown suite "latency"; allowed: connection, message/);
    assert.throws(() => stress().maxLoad(10), /selects no level/);
  });

  it("validates threshold overrides and keeps earlier ones", () => {
    const b = stress()
      .thresholds({ "message.wire.rtt_p99_ms": { better: "lower", excellent: 5, good: 20 } })
      .thresholds({ "broadcast.wire.deliveries_per_s": { better: "higher", excellent: 1e6, good: 1e5 } });
    assert.deepEqual(Object.keys(b.plan().thresholds).sort(), ["broadcast.wire.deliveries_per_s", "message.wire.rtt_p99_ms"]);
    assert.throws(
      () => stress().thresholds({ "message.wire.nope": { better: "lower", excellent: 1, good: 2 } }),
      /message\.wire\.rtt_p99_ms/,
    );
    assert.throws(
      () => stress().thresholds({ "connection.wire.peak_sockets": { better: "higher", excellent: 2, good: 1 } }),
      /plain figure/,
    );
    assert.throws(() => stress().thresholds({ "message.wire.rtt_p99_ms": { better: "higher", excellent: 2, good: 1 } }), /lower-is-better/);
  });

  it("refuses a bad option value with a RangeError naming the option, the field and what is allowed", () => {
    const tiny = { name: "tiny", operations: 100, connections: 2, messagesPerConnection: 5, subscribers: 2 };
    const cases: Array<[() => unknown, RegExp]> = [
      [() => stress().window(0), /^window: .*Expected >=1.*; allowed: a positive integer$/],
      [() => stress().window("4" as unknown as number), /^window: Invalid type/],
      [() => stress().timeout(-1), /^timeout: .*allowed: a positive integer of milliseconds/],
      [() => stress().timeout(2 ** 31), /^timeout: .*Expected <=2147483647/],
      [() => stress().warmup("no" as unknown as boolean), /^warmup: .*allowed: true or false$/],
      [() => stress().onError("maybe" as "stop"), /^onError: unknown policy "maybe"; allowed: continue, stop$/],
      [
        () => stress().onProgress("log" as unknown as () => void),
        /^onProgress: string is not a function; allowed: a function of one progress event$/,
      ],
      [() => stress().level({ ...tiny, subscribers: 0 }), /^level "tiny"\.subscribers: .*Expected >=1/],
      [() => stress().level({ ...tiny, name: "9lives" }), /^level "9lives"\.name: a level name starts with a letter/],
      [() => stress().level({ ...tiny, operations: undefined } as unknown as typeof tiny), /^level "tiny"\.operations: /],
    ];
    for (const [call, message] of cases) {
      assert.throws(call, (error: Error) => error instanceof RangeError && message.test(error.message), String(message));
    }
  });

  it("words every bad input one way: a RangeError of one line, what was wrong, the nearest name when one was mistyped, what is allowed", () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [
        // @ts-expect-error: a mistyped level name
        () => stress().level("hgih"),
        /^level: unknown level "hgih" \(did you mean "high"\?\); allowed: minimal, light, low, medium, high, veryHigh, extreme, maximum, or a custom level object$/,
      ],
      // @ts-expect-error: a level name in the wrong case
      [() => stress().upTo("veryhigh"), /^upTo: unknown level "veryhigh" \(did you mean "veryHigh"\?\); allowed: minimal, /],
      // @ts-expect-error: a mistyped suite
      [() => stress().suite("mesage"), /^suite: unknown suite "mesage" \(did you mean "message"\?\); allowed: connection, message, /],
      [
        () => stress().profile("ech"),
        /^profile: unknown profile "ech" \(did you mean "echo"\?\); allowed: wsstress, echo, socketio, graphql-ws, mqtt, a module path/,
      ],
      [
        // @ts-expect-error: a mistyped role
        () => stress().tokens({ admn: "t" }),
        /^tokens: unknown role "admn" \(did you mean "admin"\?\); allowed: subscriber, publisher, admin$/,
      ],
      [
        () => stress().thresholds({ "message.wire.rtt_p99": { better: "lower", excellent: 5, good: 20 } }),
        /^thresholds: unknown metric id "message\.wire\.rtt_p99" \(did you mean "message\.wire\.rtt_p99_ms"\?\); allowed: /,
      ],
      [
        () => stress().connectionsPerProcess(0),
        /^connectionsPerProcess: Invalid value: Expected >=1 but received 0; allowed: a positive integer$/,
      ],
      [() => stress().rate(-5), /^rate: -5 is not above 0; allowed: a number of messages per second above 0$/],
      [
        () => stress().maxLoad(10),
        /^maxLoad: 10 selects no level; allowed: a number of operations, at least 1000 \(the smallest level, minimal\)$/,
      ],
      [
        () => stress().target("http://127.0.0.1:1/"),
        /^target: "http:\/\/127\.0\.0\.1:1\/" uses http:\/\/; allowed: a ws:\/\/ or wss:\/\/ URL on loopback/,
      ],
      [
        () => stress().target("ws://example.com/"),
        /^target: "ws:\/\/example\.com\/" is not on loopback, and remote load was not asked for; allowed: .* allowRemote: true \(--allow-remote\)$/,
      ],
      [() => stress().startAt("soon"), /^startAt: start time "soon" is not a time; allowed: an ISO 8601 time with a zone/],
      [() => stress().headers({ Host: "x" }), /^headers: header Host is set by the WebSocket handshake itself/],
      [() => stress().shard(3, 3), /^shard: a shard's index runs from 0 to count − 1; allowed: shard I of N with 0 ≤ I < N/],
      [() => stress().level(), /^level: needs at least one level; allowed: one or more levels$/],
      [
        () => stress().profile("echo").plan(),
        /^profile: echo speaks to a server of yours, and no target names it; allowed: a target\(url\)/,
      ],
    ];
    for (const [call, message] of cases) {
      assert.throws(call, (error: Error) => {
        assert.ok(error instanceof RangeError, `${error.name}: ${error.message}`);
        assert.doesNotMatch(error.message, /\n/, "one line");
        assert.match(error.message, message);
        return true;
      });
    }
  });

  it("runs the same seed level given twice once, and refuses two different levels of one name", () => {
    assert.deepEqual(stress().level("minimal", "minimal").plan().levels.map((l) => l.name), ["minimal"]);
    const mine = { name: "minimal", operations: 5, connections: 1, messagesPerConnection: 5, subscribers: 1 };
    assert.throws(() => stress().level("minimal", mine), /two different levels are named "minimal"/);
  });

  it("onError puts the policy in the plan; without it the plan says nothing and the run continues", () => {
    assert.equal(stress().onError("stop").plan().onError, "stop");
    assert.equal(stress().onError("continue").plan().onError, "continue");
    assert.equal(stress().plan().onError, undefined);
  });
});
