/**
 * The HTML, mermaid, Prometheus and JSON Schema renderings of one result
 * built by hand, checked figure by figure against the result itself.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Histogram } from "../src/model/histogram.ts";
import { formatNumber } from "../src/report/format.ts";
import { renderHtml } from "../src/report/html.ts";
import { resultJsonSchema } from "../src/model/result-json-schema.ts";
import { renderMarkdown } from "../src/report/markdown.ts";
import { renderPrometheus } from "../src/report/prometheus.ts";
import { type Result, ResultSchema } from "../src/model/result.ts";
import { validate } from "./_json-schema.ts";
import { sampleResult } from "./_results.ts";

const result = sampleResult();
const metric = (r: Result, level: string, suite: string, layer: string, key: string) =>
  r.levels.find((l) => l.level.name === level)?.suites.find((s) => s.suite === suite)?.metrics.find((m) =>
    m.layer === layer && m.key === key
  );

/** `data-*` attributes of every element whose tag and class match, as objects. */
function marks(html: string, tag: string, className: string): Array<Record<string, string>> {
  const re = new RegExp(`<${tag} class="${className}"([^>]*)>`, "g");
  return [...html.matchAll(re)].map((m) => Object.fromEntries([...m[1].matchAll(/ data-([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));
}

describe("renderHtml", () => {
  const html = renderHtml(result);

  it("is one self-contained page: no script, style, image or font is fetched", () => {
    assert.ok(html.startsWith("<!doctype html>"));
    assert.doesNotMatch(html, /<(script|img|iframe)[^>]*\ssrc=/i);
    assert.doesNotMatch(html, /<link\b/i);
    assert.doesNotMatch(html, /@import|url\(/i);
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)/, "no absolute URL but the SVG namespace");
  });

  it("draws the main throughput of every suite and layer at every level, with the metric's exact figure and verdict", () => {
    const points = marks(html, "circle", "point").filter((p) => p.key);
    assert.equal(points.length, 6 * 2, "6 suite-layer pairs × 2 levels");
    for (const p of points) {
      const m = metric(result, p.level, p.suite, p.layer, p.key);
      assert.ok(m, `${p.suite}.${p.layer}.${p.key} at ${p.level}`);
      assert.equal(Number(p.value), m.value);
      assert.equal(p.verdict, m.verdict);
    }
    assert.ok(html.includes(`>${formatNumber(27_950)}</text>`), "the figure is printed beside its dot");
  });

  it("draws p50, p95 and p99 from each histogram, equal to the percentile metrics", () => {
    const points = marks(html, "circle", "point").filter((p) => p.quantile);
    assert.equal(points.length, 4 * 3 * 2, "4 histograms × 3 quantiles × 2 levels");
    for (const p of points) {
      const m = metric(result, p.level, p.suite, "wire", `${p.histogram}_${p.quantile}_ms`);
      assert.ok(m, `${p.suite} ${p.histogram} ${p.quantile} at ${p.level}`);
      assert.equal(Number(p.value), m.value);
    }
  });

  it("has a distribution per histogram and level, showing the highest level unless another is chosen", () => {
    const figures = [...html.matchAll(/<figure class="chart-box" data-chart="distribution"[^>]*data-level="(\w+)"([^>]*)>/g)];
    assert.equal(figures.length, 4 * 2);
    for (const [, level, rest] of figures) assert.equal(rest.includes("hidden"), level !== "medium", level);
    const chosen = renderHtml(result, { level: "minimal" });
    assert.match(chosen, /<option selected>minimal<\/option>/);
    assert.throws(() => renderHtml(result, { level: "huge" }), /level "huge" is not in this result; it holds: minimal, medium/);
  });

  it("counts every sample of a histogram in its distribution bars", () => {
    const medium = result.levels[1].suites.find((s) => s.suite === "message")!;
    const figure = html.slice(html.indexOf('data-histogram="rtt" data-level="medium"'));
    const bars = marks(figure.slice(0, figure.indexOf("</figure>")), "rect", "bar");
    assert.equal(bars.reduce((n, b) => n + Number(b.count), 0), Histogram.fromJSON(medium.histograms["wire.rtt"]).count);
  });

  it("draws one degradation bar per throughput metric, colored by its band", () => {
    const bars = marks(html, "rect", "bar").filter((b) => b.verdict);
    assert.equal(bars.length, result.analysis.degradation.length);
    for (const [i, d] of result.analysis.degradation.entries()) {
      assert.equal(Number(bars[i].value), d.percent);
      assert.equal(bars[i].verdict, d.verdict);
    }
    assert.match(html, /<rect class="bar"[^>]*fill="#cf222e"[^>]*data-key="round_trips_per_s"/, "42 % lost is red, as ❌ in the terminal");
  });

  it("escapes text from the result, so a note cannot inject markup", () => {
    const tricky = structuredClone(result);
    tricky.levels[0].suites[0].notes.push(`<script>alert("x")</script>`);
    const page = renderHtml(tricky);
    assert.ok(page.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert.equal(page.match(/<script>/g)?.length, 1, "only the page's own script");
  });
});

describe("renderMarkdown's mermaid charts", () => {
  const md = renderMarkdown(result);
  const blocks = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);

  it("has one xychart-beta block per suite and layer, with the levels as the x axis", () => {
    assert.equal(blocks.length, 6);
    for (const b of blocks) {
      assert.match(b, /^xychart-beta\n/);
      assert.match(b, /^ {4}x-axis \["minimal", "medium"\]$/m);
      assert.match(b, /^ {4}y-axis "[^"]+" 0 --> \d+$/m);
    }
  });

  it("plots the figures the tables show, so the plain text reads the same", () => {
    const message = blocks.find((b) => b.includes('title "message wire: round trips (round trips/s)"'));
    assert.ok(message);
    assert.match(message, /^ {4}bar \[48214, 27950\]$/m);
    const top = Number(/--> (\d+)/.exec(message)![1]);
    assert.ok(top >= 48_214, "the y axis holds the highest bar");
  });
});

/** Prometheus text format: families of HELP, TYPE and samples, each sample `name{labels} value`. */
function parseExposition(text: string): Map<string, { type: string; samples: Map<string, number> }> {
  const families = new Map<string, { type: string; samples: Map<string, number> }>();
  let current: string | undefined;
  for (const line of text.trimEnd().split("\n")) {
    const help = /^# HELP (\w+) .+$/.exec(line);
    const type = /^# TYPE (\w+) (gauge|summary|counter)$/.exec(line);
    const sample = /^(\w+)(\{(?:\w+="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(line);
    if (help) {
      assert.ok(!families.has(help[1]), `family ${help[1]} appears once`);
      current = help[1];
    } else if (type) {
      assert.equal(type[1], current, "TYPE follows its HELP");
      families.set(current!, { type: type[2], samples: new Map() });
    } else {
      assert.ok(sample, `a sample line: ${line}`);
      assert.ok(current && sample[1].startsWith(current), `${sample[1]} belongs to the family above it (${current})`);
      const key = sample[1] + (sample[2] ?? "");
      assert.ok(!families.get(current)!.samples.has(key), `no duplicate series: ${key}`);
      families.get(current)!.samples.set(key, Number(sample[3]));
    }
  }
  return families;
}

describe("renderPrometheus", () => {
  const families = parseExposition(renderPrometheus(result));

  it("exposes latency as summaries in seconds, quantiles recomputed from the histograms", () => {
    const family = families.get("wsstress_message_latency_seconds");
    assert.equal(family?.type, "summary");
    const h = Histogram.fromJSON(result.levels[1].suites[0].histograms["wire.rtt"]);
    assert.equal(
      family.samples.get('wsstress_message_latency_seconds{quantile="0.95",level="medium",layer="wire",op="rtt"}'),
      h.percentile(95) / 1e9,
    );
    assert.equal(family.samples.get('wsstress_message_latency_seconds_count{level="medium",layer="wire",op="rtt"}'), h.count);
    assert.ok(
      families.get("wsstress_permission_latency_seconds")?.samples.has(
        'wsstress_permission_latency_seconds{quantile="0.99",level="minimal",layer="wire",op="deny"}',
      ),
    );
  });

  it("exposes every other metric as a gauge, throughput included", () => {
    assert.equal(
      families.get("wsstress_message_round_trips_per_s")?.samples.get('wsstress_message_round_trips_per_s{level="medium",layer="wire"}'),
      27_950,
    );
    assert.equal(families.get("wsstress_broadcast_lost")?.type, "gauge");
    assert.ok(!families.has("wsstress_message_rtt_p95_ms"), "latency percentiles only in the summary, in seconds");
    assert.equal(
      families.get("wsstress_suite_verdict")?.samples.get('wsstress_suite_verdict{level="medium",suite="broadcast"}'),
      3,
      "❌ is 3",
    );
    assert.equal(families.get("wsstress_degradation_percent")?.samples.size, result.analysis.degradation.length);
  });
});

describe("resultJsonSchema", () => {
  const schema = resultJsonSchema() as Record<string, unknown>;

  it("is draft-07 and holds every field of the valibot schema, required unless optional", () => {
    assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
    const required = Object.entries(ResultSchema.entries).filter(([, s]) => (s as { type: string }).type !== "optional").map(([k]) => k);
    assert.deepEqual(schema.required, required);
    assert.deepEqual(Object.keys(schema.properties as object), Object.keys(ResultSchema.entries));
  });

  it("validates a result and rejects a broken one, naming the path", () => {
    assert.deepEqual(validate(schema, JSON.parse(JSON.stringify(result))), []);
    const broken = JSON.parse(JSON.stringify(result));
    broken.levels[0].suites[0].metrics[0].verdict = "great";
    delete broken.machine.cores;
    const errors = validate(schema, broken);
    assert.ok(errors.some((e) => e.startsWith("$.levels[0].suites[0].metrics[0].verdict: not one of")), errors.join("\n"));
    assert.ok(errors.some((e) => e === '$.machine: missing required "cores"'), errors.join("\n"));
  });
});
