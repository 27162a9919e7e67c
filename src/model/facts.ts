/**
 * What a suite measured, kept as raw facts rather than finished figures, so
 * that the shares of a level measured in several worker processes merge
 * exactly: counts add, rates are all operations over the whole span (never a
 * sum of rates), ratios add numerators and denominators, and percentiles come
 * from merged histograms (never an average of percentiles).
 */
import * as v from "valibot";
import type { Finite, IntFrom, List, Literal, Obj, Optional, Str } from "./valibot-types.ts";
import { count, finite, nonNegative } from "./_schema-numbers.ts";
import { Histogram, type HistogramJson, HistogramJsonSchema } from "./histogram.ts";
import { type Layer, LayerSchema } from "./result-names.ts";

type FactOf<K extends string, F extends v.ObjectEntries> = Obj<
  { readonly kind: Literal<K>; readonly layer: typeof LayerSchema; readonly key: Str } & F
>;

const key = v.string();

/** One raw fact of a suite; the latency histograms it names are the suite's `histograms` (`wire.<key>`). */
export const FactSchema: v.VariantSchema<"kind", [
  FactOf<"count", { readonly value: Finite; readonly of: Optional<typeof nonNegative> }>,
  FactOf<"rate", { readonly ops: typeof nonNegative; readonly startMs: Finite; readonly endMs: Finite }>,
  FactOf<"ratio", { readonly numerator: Finite; readonly denominator: Finite }>,
  FactOf<"max", { readonly value: Finite }>,
  FactOf<"value", { readonly value: Finite }>,
  FactOf<
    "spread",
    { readonly n: IntFrom<0>; readonly sum: Finite; readonly sumSquares: Finite; readonly min: Finite; readonly max: Finite }
  >,
  Obj<{ readonly kind: Literal<"latency">; readonly layer: Literal<"wire">; readonly key: Str }>,
], undefined> = v.variant("kind", [
  /** added across shares; `of`, how many things it was counted over, too (a count over nothing has no samples) */
  v.object({ kind: v.literal("count"), layer: LayerSchema, key, value: finite, of: v.optional(nonNegative) }),
  /** operations over [startMs, endMs] of the wall clock; merged over the union of the spans */
  v.object({ kind: v.literal("rate"), layer: LayerSchema, key, ops: nonNegative, startMs: finite, endMs: finite }),
  /** Σ numerator / Σ denominator */
  v.object({ kind: v.literal("ratio"), layer: LayerSchema, key, numerator: finite, denominator: finite }),
  /** the worst of the shares */
  v.object({ kind: v.literal("max"), layer: LayerSchema, key, value: finite }),
  /** a figure measured once, in one place (engine timings): never merged */
  v.object({ kind: v.literal("value"), layer: LayerSchema, key, value: finite }),
  /** how evenly something is spread over items (round trips over connections): moments and extremes add up exactly */
  v.object({ kind: v.literal("spread"), layer: LayerSchema, key, n: count, sum: finite, sumSquares: finite, min: finite, max: finite }),
  /** where the p50/p95/p99/max of latency histogram `key` go; the histogram itself is in `latencies` */
  v.object({ kind: v.literal("latency"), layer: v.literal("wire"), key }),
]);
export type Fact = v.InferOutput<typeof FactSchema>;

/** What one share of a suite measured: its facts, and its wire latency histograms by name (`rtt`, `handshake`…, in ns). */
export const FactsSchema: Obj<{
  readonly facts: List<typeof FactSchema>;
  readonly latencies: v.RecordSchema<Str, typeof HistogramJsonSchema, undefined>;
}> = v.object({ facts: v.array(FactSchema), latencies: v.record(v.string(), HistogramJsonSchema) });
export type Facts = v.InferOutput<typeof FactsSchema>;

export const emptyFacts = (): Facts => ({ facts: [], latencies: {} });

/** A result's wire histograms (`wire.rtt`, …) back under their fact names (`rtt`, …), to merge or add to. */
export const wireLatenciesOf = (histograms: Readonly<Record<string, HistogramJson>>): Record<string, HistogramJson> =>
  Object.fromEntries(
    Object.entries(histograms).filter(([key]) => key.startsWith("wire.")).map(([key, h]) => [key.slice("wire.".length), h]),
  );

const slot = (f: Fact): string => `${f.layer}.${f.key}`;

/** Merges the facts of several shares of one suite at one level. */
export function mergeFacts(shares: readonly Facts[]): Facts {
  const merged = new Map<string, Fact>();
  const latencies = new Map<string, Histogram>();
  for (const share of shares) {
    for (const fact of share.facts) {
      const seen = merged.get(slot(fact));
      merged.set(slot(fact), seen ? combine(seen, fact) : { ...fact });
    }
    for (const [name, json] of Object.entries(share.latencies)) {
      const h = Histogram.fromJSON(json);
      const seen = latencies.get(name);
      latencies.set(name, seen ? seen.merge(h) : h);
    }
  }
  return {
    facts: [...merged.values()],
    latencies: Object.fromEntries([...latencies].map(([name, h]) => [name, h.toJSON()])),
  };
}

function combine(a: Fact, b: Fact): Fact {
  if (a.kind !== b.kind) throw new Error(`${slot(a)} was recorded as both ${a.kind} and ${b.kind}`);
  switch (a.kind) {
    case "count": {
      const c = b as typeof a;
      const { of: _, ...sum } = { ...a, value: a.value + c.value };
      // a share that did not say what it counted over leaves the sum's basis unknown
      return a.of !== undefined && c.of !== undefined ? { ...sum, of: a.of + c.of } : sum;
    }
    case "rate": {
      const r = b as typeof a;
      return { ...a, ops: a.ops + r.ops, startMs: Math.min(a.startMs, r.startMs), endMs: Math.max(a.endMs, r.endMs) };
    }
    case "ratio": {
      const r = b as typeof a;
      return { ...a, numerator: a.numerator + r.numerator, denominator: a.denominator + r.denominator };
    }
    case "max":
      return { ...a, value: Math.max(a.value, (b as typeof a).value) };
    case "spread": {
      const r = b as typeof a;
      // an empty spread's min and max stand for nothing
      if (a.n === 0 || r.n === 0) return a.n === 0 ? { ...r } : a;
      return {
        ...a,
        n: a.n + r.n,
        sum: a.sum + r.sum,
        sumSquares: a.sumSquares + r.sumSquares,
        min: Math.min(a.min, r.min),
        max: Math.max(a.max, r.max),
      };
    }
    case "value":
      throw new Error(`${slot(a)} is a single measurement and cannot come from two shares`);
    case "latency":
      return a;
  }
}

/** The three figures of a spread: its least and greatest item, and its coefficient of variation (standard deviation over mean, %). */
export function spreadFigures(f: Extract<Fact, { kind: "spread" }>): { min: number; max: number; cvPct: number } {
  if (f.n === 0) return { min: Number.NaN, max: Number.NaN, cvPct: Number.NaN };
  const mean = f.sum / f.n;
  const variance = Math.max(0, f.sumSquares / f.n - mean * mean);
  return { min: f.min, max: f.max, cvPct: mean > 0 ? (Math.sqrt(variance) / mean) * 100 : Number.NaN };
}

/** The spread of the items of `values`, as a fact. */
export function spreadOf(layer: Layer, key: string, values: ArrayLike<number>): Extract<Fact, { kind: "spread" }> {
  let sum = 0, sumSquares = 0, min = Number.POSITIVE_INFINITY, max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    sum += x;
    sumSquares += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  // finite even when empty, so the fact survives JSON (Infinity would come back as null)
  return {
    kind: "spread",
    layer,
    key,
    n: values.length,
    sum,
    sumSquares,
    min: values.length > 0 ? min : 0,
    max: values.length > 0 ? max : 0,
  };
}

/** The figure a fact stands for; NaN when it cannot be computed (an empty span, a zero denominator). */
export function factValue(f: Exclude<Fact, { kind: "latency" | "spread" }>): number {
  switch (f.kind) {
    case "count":
    case "max":
    case "value":
      return f.value;
    case "rate":
      return f.endMs > f.startMs ? (f.ops * 1000) / (f.endMs - f.startMs) : Number.NaN;
    case "ratio":
      return f.denominator !== 0 ? f.numerator / f.denominator : Number.NaN;
  }
}
