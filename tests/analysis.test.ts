import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bottleneck, degradation, ENGINE_SAME_AT_EVERY_LEVEL } from "../src/analysis/degradation.ts";
import { recommendations } from "../src/analysis/recommendations.ts";
import { levelVerdict, overallVerdict, suiteVerdict, worst } from "../src/analysis/verdicts.ts";
import { analyze } from "../src/report/analysis-section.ts";
import { recommendationText } from "../src/report/recommendation-text.ts";
import { levelByName, type LevelName } from "../src/model/levels.ts";
import { judge } from "../src/analysis/verdicts.ts";
import {
  DEFAULT_THRESHOLDS,
  makeMetric,
  type MetricId,
  specOf,
  thresholdFor,
  validateThresholdOverrides,
} from "../src/suites/metric-catalogue.ts";
import type { Degradation, ErrorCount, LevelResult, SuiteName, SuiteResult, Threshold } from "../src/model/result.ts";

function suite(
  name: SuiteName,
  values: Record<string, number>,
  extra: { status?: SuiteResult["status"]; errors?: ErrorCount[]; notes?: string[] } = {},
): SuiteResult {
  return {
    suite: name,
    status: extra.status ?? "ok",
    durationMs: 100,
    metrics: Object.entries(values).map(([key, value]) => makeMetric(`${name}.${key}`, value)),
    histograms: {},
    errors: extra.errors ?? [],
    notes: extra.notes ?? [],
    verdict: "none",
  };
}

function level(name: LevelName, suites: SuiteResult[]): LevelResult {
  return { level: levelByName(name), startedAt: "2025-06-02T09:00:00.000Z", durationMs: 1000, suites, verdict: "none" };
}

const message = (roundTrips: number, p99 = 2) => suite("message", { "wire.round_trips_per_s": roundTrips, "wire.rtt_p99_ms": p99 });
const isFault = (id: string): boolean => specOf(id)?.fault === true;
/** the recommendations as a result keeps them: severity and text */
const recommend = (levels: LevelResult[], d: Degradation[], b: ReturnType<typeof bottleneck>, warmup?: LevelResult) =>
  recommendations(levels, d, b, { warmup, isFault }).map((a) => ({ severity: a.severity, text: recommendationText(a) }));
const texts = (levels: LevelResult[]) => {
  const d = degradation(levels);
  return recommend(levels, d, bottleneck(d)).map((r) => r.text).join("\n");
};

describe("judge", () => {
  const higher = DEFAULT_THRESHOLDS["connection.engine.register_ops_per_s"];
  const lower = DEFAULT_THRESHOLDS["message.engine.p95_us"];

  it("passes a higher-is-better value only strictly above excellent", () => {
    assert.equal(judge(500_000, higher), "warn");
    assert.equal(judge(500_000.01, higher), "pass");
  });

  it("fails a higher-is-better value at good and warns just above it", () => {
    assert.equal(judge(100_000, higher), "fail");
    assert.equal(judge(100_000.01, higher), "warn");
    assert.equal(judge(0, higher), "fail");
  });

  it("passes a lower-is-better value only strictly below excellent", () => {
    assert.equal(judge(20, lower), "warn");
    assert.equal(judge(19.99, lower), "pass");
  });

  it("fails a lower-is-better value at good and warns just below it", () => {
    assert.equal(judge(50, lower), "fail");
    assert.equal(judge(49.99, lower), "warn");
  });

  it("fails any non-zero count that must stay at zero", () => {
    const zero = DEFAULT_THRESHOLDS["permission.wire.wrong_allows"];
    assert.equal(judge(0, zero), "pass");
    assert.equal(judge(1, zero), "fail");
  });

  it("gives none to a metric without threshold", () => {
    assert.equal(judge(123, undefined), "none");
    assert.equal(makeMetric("message.wire.rtt_p95_ms", 3).verdict, "none");
  });
});

describe("thresholds", () => {
  it("holds the seed guide's engine thresholds exactly", () => {
    const seed: Partial<Record<MetricId, [Threshold["better"], number, number]>> = {
      "connection.engine.register_ops_per_s": ["higher", 500_000, 100_000],
      "message.engine.ops_per_s": ["higher", 100_000, 50_000],
      "message.engine.p95_us": ["lower", 20, 50],
      "broadcast.engine.deliveries_per_s": ["higher", 100_000, 50_000],
      "permission.engine.checks_per_s": ["higher", 300_000, 100_000],
      "compression.engine.savings_pct": ["higher", 90, 70],
    };
    for (const [id, [better, excellent, good]] of Object.entries(seed) as Array<[MetricId, [Threshold["better"], number, number]]>) {
      assert.deepEqual(DEFAULT_THRESHOLDS[id], { better, excellent, good }, id);
    }
  });

  it("thresholdFor lets an override win over the default", () => {
    const override: Threshold = { better: "lower", excellent: 5, good: 20 };
    assert.deepEqual(thresholdFor("message.wire.rtt_p99_ms"), { better: "lower", excellent: 10, good: 50 });
    assert.deepEqual(thresholdFor("message.wire.rtt_p99_ms", { "message.wire.rtt_p99_ms": override }), override);
    assert.equal(makeMetric("message.wire.rtt_p99_ms", 12, { "message.wire.rtt_p99_ms": override }).verdict, "warn");
    assert.equal(makeMetric("message.wire.rtt_p99_ms", 12).verdict, "warn");
    assert.equal(makeMetric("message.wire.rtt_p99_ms", 4, { "message.wire.rtt_p99_ms": override }).verdict, "pass");
  });

  it("thresholdFor finds nothing for an unknown id, even one named like an Object method", () => {
    assert.equal(thresholdFor("message.wire.nope"), undefined);
    assert.equal(thresholdFor("constructor"), undefined);
  });

  it("validateThresholdOverrides accepts known ids, including ones without a default threshold", () => {
    const input = { "message.wire.rtt_p95_ms": { better: "lower", excellent: 5, good: 15 } };
    assert.deepEqual(validateThresholdOverrides(input), input);
  });

  it("validateThresholdOverrides rejects an unknown id with a message naming the allowed ids", () => {
    assert.throws(
      () => validateThresholdOverrides({ "message.wire.rtt_p99": { better: "lower", excellent: 5, good: 20 } }),
      (error: Error) => {
        assert.ok(error instanceof RangeError);
        assert.match(
          error.message,
          /^thresholds: unknown metric id "message\.wire\.rtt_p99" \(did you mean "message\.wire\.rtt_p99_ms"\?\); allowed: /,
        );
        assert.match(error.message, /allowed: .*connection\.engine\.register_ops_per_s.*permission\.wire\.wrong_allows/);
        assert.doesNotMatch(error.message, /peak_sockets/, "a plain figure is not offered");
        return true;
      },
    );
  });

  it("validateThresholdOverrides rejects a threshold that points the wrong way or is inconsistent", () => {
    assert.throws(
      () => validateThresholdOverrides({ "message.wire.rtt_p99_ms": { better: "higher", excellent: 50, good: 10 } }),
      /^RangeError: thresholds\["message\.wire\.rtt_p99_ms"\]\.better: "higher", but message\.wire\.rtt_p99_ms is lower-is-better; allowed: "lower"$/,
    );
    assert.throws(
      () => validateThresholdOverrides({ "message.wire.rtt_p99_ms": { better: "lower", excellent: 50, good: 10 } }),
      /^RangeError: thresholds\["message\.wire\.rtt_p99_ms"\]: excellent must be at least as strict as good; allowed: /,
    );
    assert.throws(
      () => validateThresholdOverrides({ "message.wire.rtt_p99_ms": { better: "lower", excellent: "5" } }),
      /^RangeError: thresholds\["message\.wire\.rtt_p99_ms"\]\.excellent: Invalid type/,
    );
  });
});

describe("verdicts", () => {
  it("orders fail over warn over pass over none", () => {
    assert.equal(worst([]), "none");
    assert.equal(worst(["none", "pass"]), "pass");
    assert.equal(worst(["pass", "warn", "none"]), "warn");
    assert.equal(worst(["warn", "fail", "pass"]), "fail");
  });

  it("suiteVerdict is the worst metric verdict", () => {
    assert.equal(suiteVerdict(message(50_000, 2)), "pass");
    assert.equal(suiteVerdict(message(50_000, 20)), "warn");
    assert.equal(suiteVerdict(message(10_000, 2)), "fail");
    assert.equal(suiteVerdict(suite("message", { "wire.rtt_p95_ms": 3 })), "none");
  });

  it("suiteVerdict fails a failed suite, and judges each error by its fault class", () => {
    assert.equal(suiteVerdict({ ...message(50_000), status: "failed" }), "fail");
    assert.equal(suiteVerdict({ ...message(50_000), errors: [{ class: "timeout", count: 2, message: "reply timed out" }] }), "fail");
    const logged = (cls: string): ErrorCount[] => [{ class: cls, count: 1, message: cls }];
    assert.equal(suiteVerdict({ ...message(50_000), errors: logged("close_timeout") }), "warn");
    // a class from another wsstress is not known here: it warns
    assert.equal(suiteVerdict({ ...message(50_000), errors: logged("from_the_future") }), "warn");
    // what a user's stop cut short is no fault of the server's
    assert.equal(suiteVerdict({ ...message(50_000), status: "aborted", errors: logged("aborted") }), "pass");
  });

  it("a wrong allow fails the permission suite even with great throughput", () => {
    const fast = { "wire.decisions_per_s": 90_000, "wire.deny_p99_ms": 1, "engine.checks_per_s": 900_000 };
    const leaky = suite("permission", { ...fast, "wire.wrong_allows": 1 });
    // even if a caller's override had let the metric itself pass
    leaky.metrics = leaky.metrics.map((m) => ({ ...m, verdict: "pass" as const }));
    assert.equal(suiteVerdict(leaky), "fail");
    assert.equal(suiteVerdict(suite("permission", { ...fast, "wire.wrong_allows": 0 })), "pass");
    const logged = suite("permission", fast, { errors: [{ class: "wrong_allow", count: 1, message: "guest published to admin.x" }] });
    assert.equal(suiteVerdict(logged), "fail");
  });

  it("levelVerdict and overallVerdict take the worst below them", () => {
    const good = level("minimal", [message(50_000)]);
    const bad = level("medium", [message(50_000), suite("broadcast", { "wire.lost": 2 })]);
    assert.equal(levelVerdict(good), "pass");
    assert.equal(levelVerdict(bad), "fail");
    assert.equal(overallVerdict([good, bad]), "fail");
    assert.equal(overallVerdict([]), "none");
  });
});

describe("degradation", () => {
  const run = (bottom: number, top: number) => degradation([level("minimal", [message(bottom)]), level("medium", [message(top)])]);

  it("computes (1 − top / bottom) × 100 between the first and the last level", () => {
    const [d] = run(48_000, 36_000);
    assert.equal(d.percent, 25);
    assert.deepEqual([d.suite, d.layer, d.key, d.bottomLevel, d.topLevel, d.bottom, d.top], [
      "message",
      "wire",
      "round_trips_per_s",
      "minimal",
      "medium",
      48_000,
      36_000,
    ]);
    const three = degradation([level("minimal", [message(1000)]), level("light", [message(10)]), level("low", [message(950)])]);
    assert.equal(three[0].percent, 5);
    assert.equal(three[0].topLevel, "low");
  });

  it("bands below 10 % as excellent, 10 % to 30 % as good and above 30 % as poor", () => {
    assert.equal(run(1000, 901)[0].verdict, "pass");
    assert.equal(run(1000, 900)[0].percent, 10);
    assert.equal(run(1000, 900)[0].verdict, "warn");
    assert.equal(run(1000, 700)[0].percent, 30);
    assert.equal(run(1000, 700)[0].verdict, "warn");
    assert.equal(run(1000, 699)[0].verdict, "fail");
  });

  it("reports an improvement as a negative percent that passes", () => {
    const [d] = run(1000, 1100);
    assert.equal(d.percent, -10);
    assert.equal(d.verdict, "pass");
  });

  it("considers only throughput present at both ends, and needs two levels", () => {
    const bottom = level("minimal", [message(1000, 2), suite("broadcast", { "wire.deliveries_per_s": 5000 })]);
    const top = level("medium", [message(500, 40)]);
    assert.deepEqual(degradation([bottom, top]).map((d) => d.key), ["round_trips_per_s"]);
    assert.deepEqual(degradation([bottom]), []);
    assert.deepEqual(degradation([level("minimal", [message(0)]), level("medium", [message(10)])]), []);
    // a suite that failed at either end measured only part of what it exists for
    assert.deepEqual(degradation([level("minimal", [message(1000)]), level("medium", [{ ...message(10), status: "failed" }])]), []);
  });

  it("compares from the lowest level whose rate had the evidence to judge it, and says which", () => {
    const tooFew = (roundTrips: number) => {
      const s = message(roundTrips);
      s.metrics[0] = { ...s.metrics[0], verdict: "none", unjudged: "too few samples to judge: 1,000 events over 288 ms" };
      return s;
    };
    const [d] = degradation([level("minimal", [tooFew(3_000)]), level("light", [message(40_000)]), level("medium", [message(30_000)])]);
    assert.deepEqual([d.bottomLevel, d.bottom, d.topLevel, d.top, d.percent], ["light", 40_000, "medium", 30_000, 25]);
    // none below the top had it, or the top lacks it itself: no trend
    assert.deepEqual(degradation([level("minimal", [tooFew(3_000)]), level("medium", [message(30_000)])]), []);
    assert.deepEqual(degradation([level("minimal", [message(3_000)]), level("medium", [tooFew(30_000)])]), []);
  });

  it("draws no trend from an engine layer that times the same work at every level, and does from one the level sizes", () => {
    const engines = (echo: number, channelTable: number) => [
      suite("message", { "engine.ops_per_s": echo }),
      suite("subscription", { "engine.ops_per_s": channelTable }),
    ];
    // the same echo through the hub at both levels: 2,097,811 → 634,188 here was the machine, not the hub
    const trends = degradation([level("minimal", engines(2_097_811, 9_000_000)), level("medium", engines(634_188, 4_500_000))]);
    assert.deepEqual(trends.map((d) => `${d.suite}.${d.layer}.${d.key} ${d.percent}`), ["subscription.engine.ops_per_s 50"]);
    assert.deepEqual([...ENGINE_SAME_AT_EVERY_LEVEL].sort(), ["compression", "message", "permission"]);
  });

  it("bottleneck picks the metric that degrades most and names the seed's cause", () => {
    const d = (suite: SuiteName, percent: number): Degradation => ({
      suite,
      layer: "wire",
      key: "x_per_s",
      label: "x",
      bottomLevel: "minimal",
      topLevel: "high",
      bottom: 100,
      top: 100 - percent,
      percent,
      verdict: "none",
    });
    assert.deepEqual(bottleneck([d("message", 12), d("connection", 31.3), d("broadcast", -500)]), {
      suite: "connection",
      layer: "wire",
      key: "x_per_s",
      percent: 31.3,
      cause: "Network/socket limits",
    });
    assert.equal(bottleneck([d("permission", 3)])?.cause, "Dictionary lookups");
    const engine = { ...d("connection", 50), layer: "engine" as const };
    assert.match(
      bottleneck([engine])!.cause,
      /^Network\/socket limits, in-process: the server's own code and data structures, not the network$/,
    );
    assert.equal(bottleneck([d("message", -5), d("compression", 0)]), null);
    assert.equal(bottleneck([]), null);
  });
});

describe("recommendations", () => {
  it("gives the seed's single-server advice when the highest level is at most medium", () => {
    const recs = recommend([level("minimal", [message(50_000)]), level("medium", [message(50_000)])], [], null);
    const last = recs[recs.length - 1];
    assert.equal(last.severity, "pass");
    assert.match(last.text, /Highest level run: medium \(100,000 operations, 1,000 connections\)/);
    assert.match(last.text, /single server is sufficient/);
    assert.ok(recs.some((r) => /no action needed/.test(r.text)));
  });

  it("advises horizontal scaling with sticky sessions and shared state at high and veryHigh", () => {
    const text = texts([level("high", [message(50_000)])]);
    assert.match(text, /Highest level run: high/);
    assert.match(text, /horizontal scaling/);
    assert.match(text, /sticky sessions/);
    assert.match(text, /Redis/);
    assert.match(text, /network bandwidth/);
  });

  it("calls for a distributed architecture with autoscaling at extreme and maximum", () => {
    const text = texts([level("minimal", [message(50_000)]), level("maximum", [message(50_000)])]);
    assert.match(text, /Highest level run: maximum \(9,900,000 operations, 99,000 connections\)/);
    assert.match(text, /distributed architecture/);
    assert.match(text, /autoscaling/);
    assert.match(text, /about 10 servers/);
  });

  it("are data, each citing its metrics, which report/recommendation-text.ts puts in words", () => {
    const levels = [level("medium", [message(10_000), suite("permission", { "wire.decisions_per_s": 90_000, "wire.wrong_allows": 3 })])];
    const [first, ...rest] = recommendations(levels, [], null, { isFault });
    assert.deepEqual(first, { severity: "fail", kind: "security", wrongAllows: [{ level: "medium", count: 3 }] });
    const low = rest.find((a) => a.kind === "low-throughput");
    assert.ok(low && low.kind === "low-throughput");
    assert.deepEqual(low.citations.map((c) => [c.id, c.value, c.level]), [["message.wire.round_trips_per_s", 10_000, "medium"]]);
    const measured = {
      id: "message.wire.round_trips_per_s",
      value: 10_000,
      unit: "round trips/s",
      level: "medium",
      threshold: thresholdFor("message.wire.round_trips_per_s"),
    };
    assert.deepEqual(rest.at(-1), {
      severity: "pass",
      kind: "capacity",
      level: levelByName("medium"),
      connectionsPerServer: 10_000,
      servers: 1,
      measured,
    });
  });

  it("puts a wrong allow first, as a security bug to fix before anything else", () => {
    const levels = [level("medium", [message(10_000), suite("permission", { "wire.decisions_per_s": 90_000, "wire.wrong_allows": 3 })])];
    const [first] = recommend(levels, [], null);
    assert.equal(first.severity, "fail");
    assert.match(first.text, /^SECURITY: .*wrong_allows: 3 at medium.*Fix the RBAC checks before anything else/);
  });

  it("turns connection failures into advice from the error the run saw, and guesses at none it did not", () => {
    const failed = (message: string, errorClass = "connect_failed") =>
      texts([level("high", [suite("connection", { "wire.failures": 42 }, { errors: [{ class: errorClass, count: 42, message }] })])]);
    const emfile = failed("EMFILE: too many open files");
    assert.match(emfile, /connection\.wire\.failures = 42 at high/);
    assert.match(emfile, /EMFILE/);
    assert.match(emfile, /ulimit -n/);
    assert.doesNotMatch(emfile, /somaxconn|port_range/, "no advice on a cause the error does not show");
    assert.doesNotMatch(emfile, /suite logged errors/, "the failure advice already quotes the error");
    assert.match(failed("connect EADDRNOTAVAIL 127.0.0.1:9000"), /ip_local_port_range/);
    assert.match(failed("connect ECONNREFUSED 127.0.0.1:9000"), /somaxconn/);
    assert.match(failed("no handshake within 10000 ms", "handshake_timeout"), /did not accept connections as fast/);
    assert.doesNotMatch(failed("socket hang up"), /ulimit|somaxconn|port_range/);
  });

  it("cites what a latency and a capacity were measured under, and names no cause the run could not see", () => {
    const paced = suite("message", {
      "wire.round_trips_per_s": 9_000,
      "wire.in_flight": 160,
      "wire.littles_law_ms": 17.8,
      "wire.rtt_p99_ms": 60,
      "wire.paced_per_s": 4_500,
      "wire.send_lag_p99_ms": 0.4,
    });
    const text = texts([level("medium", [paced])]);
    assert.match(
      text,
      /message\.wire\.rtt_p99_ms = 60 ms at medium, threshold < 10 \/ < 50 ms \(paced_per_s 4,500 round trips\/s, send_lag_p99_ms 0\.400 ms\)/,
    );
    assert.match(
      text,
      /message\.wire\.round_trips_per_s = 9,000 round trips\/s at medium, threshold > 40,000 \/ > 15,000 round trips\/s \(in_flight 160 requests, littles_law_ms 17\.8 ms\)/,
    );
    assert.match(text, /This server's measured capacity there: message\.wire\.round_trips_per_s = 9,000/);
    assert.doesNotMatch(text, /database|network congestion|memory pressure|memory leak|lock contention|blocking I\/O|Likely/i);
  });

  it("files the generator's send lag as the generator's, never as the server's latency", () => {
    const lagging = suite("message", { "wire.rtt_p99_ms": 300, "wire.paced_per_s": 4_500, "wire.send_lag_p99_ms": 12 });
    const recs = recommend([level("medium", [lagging])], [], null);
    const lag = recs.find((r) =>
      r.text.startsWith("message.wire.send_lag_p99_ms = 12 ms at medium, threshold < 1 / < 10 ms (paced_per_s 4,500 round trips/s):")
    );
    assert.equal(lag?.severity, "fail");
    assert.match(lag!.text, /the load generator sent its paced requests behind their intended times/);
    const latency = recs.find((r) => r.text.startsWith("High latency at load"))!;
    assert.match(latency.text, /message\.wire\.rtt_p99_ms = 300 ms/);
    assert.doesNotMatch(latency.text, /send_lag_p99_ms = /);
  });

  it("names lost, duplicated and out-of-order deliveries with their values", () => {
    const text = texts([level("low", [suite("broadcast", { "wire.lost": 7, "wire.duplicated": 2, "wire.out_of_order": 5 })])]);
    assert.match(text, /broadcast\.wire\.lost = 7 at low/);
    assert.match(text, /broadcast\.wire\.duplicated = 2 at low/);
    assert.match(text, /broadcast\.wire\.out_of_order = 5 at low/);
  });

  it("cites high latency and low throughput by metric, value and level, one entry per area", () => {
    const levels = [
      level("minimal", [message(30_000, 20)]),
      level("low", [message(12_000, 60), suite("broadcast", { "wire.latency_p99_ms": 150 })]),
    ];
    const recs = recommend(levels, [], null);
    const latency = recs.filter((r) => r.text.startsWith("High latency at load"));
    assert.equal(latency.length, 1);
    assert.equal(latency[0].severity, "fail");
    assert.match(latency[0].text, /message\.wire\.rtt_p99_ms = 60 ms at low, threshold < 10 \/ < 50 ms/);
    assert.match(latency[0].text, /broadcast\.wire\.latency_p99_ms = 150 ms at low/);
    assert.match(
      recs.find((r) => r.text.startsWith("Low capacity"))!.text,
      /message\.wire\.round_trips_per_s = 12,000 round trips\/s at low/,
    );
  });

  it("reports degradation above 30 % with the bottleneck's cause", () => {
    const text = texts([level("minimal", [message(50_000)]), level("medium", [message(20_000)])]);
    assert.match(text, /Poor scalability from minimal to medium: message\.wire\.round_trips_per_s fell 60\.0% \(50,000 → 20,000\)/);
    assert.match(text, /CPU\/JSON processing/);
  });

  it("notices that permessage-deflate was not negotiated", () => {
    const text = texts([level("medium", [suite("compression", { "wire.savings_pct": 0, "engine.savings_pct": 97 })])]);
    assert.match(text, /permessage-deflate was not negotiated \(compression\.wire\.savings_pct = 0\.0% at medium/);
  });

  it("flags a suite that failed with its reason and first error", () => {
    const errors = [{ class: "timeout", count: 1, message: "no ack within 5000 ms" }];
    const reason = "the server closed all 4 connections before the suite finished";
    const broken = { ...suite("subscription", {}, { status: "failed", errors }), reason };
    const recs = recommend([level("light", [broken])], [], null);
    assert.equal(recs[0].severity, "fail");
    assert.ok(
      recs[0].text.startsWith(`The subscription suite failed at light: ${reason}; timeout × 1 ("no ack within 5000 ms")`),
      recs[0].text,
    );
  });

  it("recommends on the warm-up's faults, cited at warmup, and sizes for the levels alone", () => {
    const warmupLevel = { name: "warmup", operations: 400, connections: 8, messagesPerConnection: 50, subscribers: 8 };
    const warm = { ...level("minimal", [suite("broadcast", { "wire.lost": 3 })]), level: warmupLevel };
    const recs = recommend([level("medium", [message(50_000)])], [], null, warm);
    assert.match(recs[0].text, /broadcast\.wire\.lost = 3 at warmup/);
    assert.match(recs[recs.length - 1].text, /^Highest level run: medium/);
    assert.equal(overallVerdict([level("medium", [message(50_000)])], warm), "fail");
  });

  it("analyze combines degradation, bottleneck and recommendations", () => {
    const analysis = analyze([level("minimal", [message(50_000)]), level("medium", [message(20_000)])]);
    assert.equal(analysis.degradation.length, 1);
    assert.equal(analysis.bottleneck?.cause, "CPU/JSON processing");
    assert.ok(analysis.recommendations.some((r) => r.text.startsWith("Poor scalability")));
    assert.deepEqual(analyze([]), { degradation: [], bottleneck: null, recommendations: [] });
  });
});
