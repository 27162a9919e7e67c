/**
 * @module
 * The report's content, as tables and lines, independent of where it is
 * shown: the terminal and markdown renderers frame the same sections, so a
 * figure, a label or a row order is decided here once.
 */
import { type Scenarios, specOf } from "../suites/metric-catalogue.ts";
import { isThroughput } from "../analysis/degradation.ts";
import type { Analysis, LevelResult, Metric, Result, SuiteResult } from "../model/result.ts";
import { pad, type Table } from "./_table.ts";
import {
  formatBytes,
  formatDuration,
  formatNumber,
  formatParts,
  formatPercent,
  formatThreshold,
  mark,
  oneLine,
  type Style,
} from "./format.ts";

const id = (suite: string, m: Pick<Metric, "layer" | "key">) => `${suite}.${m.layer}.${m.key}`;

/** where the OS tells: a generator that mostly waited for a core was held back by the machine, not by its own work */
const waitText = (pct: number | undefined): string =>
  pct === undefined
    ? ""
    : `, waited for a core ${formatNumber(pct, 0)}% of the time${pct >= 50 ? " (the cores were busy with other processes)" : ""}`;

/** `label: value` pairs describing the run. */
export function runInfo(result: Result, style: Style): [string, string][] {
  const { machine, server, plan } = result;
  const overrides = Object.keys(plan.thresholds).length;
  return [
    ["tool", `${result.tool.name} ${result.tool.version}`],
    ["runtime", `${result.runtime.name} ${result.runtime.version}`],
    ["machine", `${machine.os} ${machine.arch} · ${machine.cpuModel} · ${machine.cores} cores · ${formatBytes(machine.memoryBytes)}`],
    [
      "server",
      `${server.url} · ${server.embedded ? `embedded ${server.runtime} server` : `target (${server.runtime})`} · permessage-deflate ${
        server.handshake?.perMessageDeflate ?? (server.perMessageDeflate ? "on" : "off")
      }${server.handshake?.subprotocol ? ` · subprotocol ${server.handshake.subprotocol}` : ""}`,
    ],
    ...(plan.profile || plan.connection ? [["protocol", protocolLine(plan)] as [string, string]] : []),
    [
      "plan",
      `levels ${plan.levels.map((l) => l.name).join(", ")} · suites ${plan.suites.join(", ") || "none"}${
        plan.scenarios?.length ? ` · scenarios ${plan.scenarios.map((sc) => sc.name).join(", ")}` : ""
      } · window ${plan.window} · timeout ${formatDuration(plan.timeoutMs)}${
        overrides ? ` · ${overrides} threshold override${overrides === 1 ? "" : "s"}` : ""
      }`,
    ],
    ...(result.shard
      ? [
        [
          "shard",
          `${result.shard.index}/${result.shard.count} of plan ${result.shard.planFingerprint} (wsstress merge joins the shards)`,
        ] as [string, string],
      ]
      : []),
    ...(result.merged ? [["merged", `${result.merged.shards} shards of plan ${result.merged.planFingerprint}`] as [string, string]] : []),
    ["started", result.startedAt],
    ["duration", formatDuration(result.durationMs)],
    ["status", result.status],
    ...(result.warmup ? [["warm-up", warmupLine(result.warmup, style)] as [string, string]] : []),
    ["verdict", `${mark(result.verdict, style)} ${result.verdict}`],
  ];
}

/** The warm-up in one line: not measured, but its faults are judged with the run. */
function warmupLine(warmup: LevelResult, style: Style): string {
  const faults = warmup.suites.flatMap((s) => [
    ...s.errors.map((e) => `${s.suite} ${e.class} × ${formatNumber(e.count)}`),
    // a fault count that is no error of its own (a scenario's failed checks)
    ...s.metrics.filter((m) => m.verdict === "fail" && !s.errors.length).map((m) => `${s.suite} ${m.label} × ${formatNumber(m.value)}`),
  ]);
  const found = faults.length > 0 ? `faults judged with the run: ${faults.join(", ")}` : "no fault";
  const n = warmup.suites.length;
  const what = `${n} suite${n === 1 ? "" : "s"} at ${formatNumber(warmup.level.connections)} connections, not measured`;
  return `${mark(warmup.verdict, style)} ${found} (${what})`;
}

/** Every error of the run, warm-up first: level, suite, class, count, first message. */
export function errorRows(result: Result): string[][] {
  const levels = result.warmup ? [result.warmup, ...result.levels] : result.levels;
  return levels.flatMap((l) =>
    l.suites.flatMap((s) => s.errors.map((e) => [l.level.name, s.suite, e.class, formatNumber(e.count), oneLine(e.message)]))
  );
}

/** The profile and what the handshakes carried, by name only. */
function protocolLine(plan: Result["plan"]): string {
  const c = plan.connection;
  return [
    `profile ${plan.profile?.name ?? "wsstress"}`,
    c?.headers.length ? `headers ${c.headers.join(", ")}` : "",
    c?.subprotocols.length ? `subprotocols offered ${c.subprotocols.join(", ")}` : "",
    c?.tokens.length ? `tokens for ${c.tokens.join(", ")}` : "",
    c?.customCa ? "custom CA" : "",
  ].filter(Boolean).join(" · ");
}

/** `minimal · 1,000 operations · 10 connections · …` */
export function levelFacts(level: LevelResult): string {
  const l = level.level;
  return [
    `${formatNumber(l.operations)} operations`,
    `${formatNumber(l.connections)} connections`,
    `${formatNumber(l.messagesPerConnection)} messages/connection`,
    `${formatNumber(l.subscribers)} subscribers`,
    `took ${formatDuration(level.durationMs)}`,
    ...resourceFacts(level),
  ].join(" · ");
}

/** What the level took from the machine, and whether the generator itself was the limit. */
function resourceFacts(level: LevelResult): string[] {
  const r = level.resources;
  const facts: string[] = [];
  if (r && r.peakSockets > 0) facts.push(`${formatNumber(r.peakSockets)} sockets open at once (counted by the servers)`);
  if (r && r.peakRssBytes > 0) {
    const processes = r.serverProcesses + Math.max(r.workerProcesses, 1);
    facts.push(`peak RSS ${formatBytes(r.peakRssBytes)} over ${processes} processes`);
  }
  if (level.generatorBound) facts.push("⚠️ generator-bound");
  return facts;
}

export const METRIC_HEADER = ["suite", "layer", "metric", "value", "unit", "", "threshold (✅ / ⚠️)"];
export const METRIC_ALIGN = ["left", "left", "left", "right", "left", "left", "left"] as const;

/** One row per metric: suite (on its first row only), layer, label, value, unit, mark, threshold. */
export function metricRows(suite: SuiteResult, style: Style, suiteColumn = true, plan?: Scenarios): string[][] {
  return suite.metrics.map((m, i) => {
    const { number, unit } = formatParts(m.value, m.unit);
    const threshold = m.threshold ? formatThreshold(m.threshold) : exactText(suite.suite, m, plan);
    const row = [
      m.layer,
      m.label,
      number,
      style.dim(unit),
      mark(m.verdict, style),
      threshold ? style.dim(threshold) : "",
    ];
    return suiteColumn ? [i === 0 ? suite.suite : "", ...row] : row;
  });
}

/** `= 100` for a share that passes only when whole; "" for a figure with no threshold. */
function exactText(suite: string, m: Metric, plan: Scenarios | undefined): string {
  const exact = specOf(id(suite, m), plan)?.exact;
  return exact === undefined ? "" : `= ${formatNumber(exact)}`;
}

export type Footnote = { kind: "status" | "skipped" | "error" | "note"; text: string };

/** Status, errors and notes of a suite, one line each. */
export function suiteFootnotes(suite: SuiteResult): Footnote[] {
  const lines: Footnote[] = [];
  if (suite.status === "skipped") {
    lines.push({ kind: "skipped", text: `skipped: ${suite.reason ?? "no reason given"}` });
  } else if (suite.status === "failed") {
    const why = suite.reason ? `: ${suite.reason}` : " part-way";
    lines.push({ kind: "status", text: `${suite.suite} failed${why}; its figures are partial` });
  } else if (suite.status === "aborted") {
    const text = `${suite.suite} was stopped by the user: its figures are partial, and what the stop cut short is not counted`;
    lines.push({ kind: "status", text });
  }
  const g = suite.generator;
  if (g?.bound) {
    lines.push({
      kind: "status",
      text: `generator-bound: a load process used ${formatNumber(g.cpuPct, 0)}% of a core${waitText(g.cpuWaitPct)} and lagged ${
        formatNumber(g.lagP99Ms)
      } ms at p99; these figures show the tool's limit, not the server's`,
    });
  }
  for (const e of suite.errors) lines.push({ kind: "error", text: `error ${e.class} × ${formatNumber(e.count)}: ${oneLine(e.message)}` });
  for (const n of suite.notes) lines.push({ kind: "note", text: `note: ${oneLine(n, 200)}` });
  return lines;
}

/**
 * The headline metrics, in order of first appearance: the catalogue's
 * (main throughput, p95/p99 latency, savings); for a suite and layer the
 * catalogue does not know, its first throughput and its p95/p99 figures.
 */
export function headlineIds(levels: readonly LevelResult[], plan?: Scenarios): string[] {
  const ids: string[] = [];
  for (const level of levels) {
    for (const suite of level.suites) {
      for (const layer of ["wire", "engine"] as const) {
        const metrics = suite.metrics.filter((m) => m.layer === layer);
        let picked = metrics.filter((m) => specOf(id(suite.suite, m), plan)?.headline);
        if (picked.length === 0) {
          const throughput = metrics.find(isThroughput);
          picked = metrics.filter((m) => m === throughput || /p9[59]/.test(m.key));
        }
        for (const m of picked) if (!ids.includes(id(suite.suite, m))) ids.push(id(suite.suite, m));
      }
    }
  }
  return ids;
}

function find(level: LevelResult, metricId: string): Metric | undefined {
  const [suite, layer, key] = metricId.split(".");
  return level.suites.find((s) => s.suite === suite)?.metrics.find((m) => m.layer === layer && m.key === key);
}

/** Rows: headline metrics; columns: levels; cells: value and mark. */
export function summaryTable(levels: readonly LevelResult[], style: Style, plan?: Scenarios): Table | null {
  const ids = headlineIds(levels, plan);
  if (ids.length === 0) return null;
  const rows = ids.map((metricId) => {
    const [suite, layer] = metricId.split(".");
    const sample = levels.map((l) => find(l, metricId)).find((m) => m)!;
    const cells = levels.map((l) => {
      const m = find(l, metricId);
      // pad the mark to two columns so `·` lines up with the emoji
      return m ? `${formatParts(m.value, m.unit).number} ${pad(mark(m.verdict, style), 2)}` : "—   ";
    });
    return [suite, layer, sample.label, style.dim(formatParts(sample.value, sample.unit).unit), ...cells];
  });
  // name each suite once, on its first row
  for (let i = rows.length - 1; i > 0; i--) if (ids[i].split(".")[0] === ids[i - 1].split(".")[0]) rows[i][0] = "";
  rows.push(["", "", "level verdict", "", ...levels.map((l) => pad(mark(l.verdict, style), 2))]);
  return {
    header: ["suite", "layer", "metric", "unit", ...levels.map((l) => l.level.name)],
    rows,
    align: ["left", "left", "left", "left", ...levels.map(() => "right" as const)],
  };
}

/** Each throughput metric from the lowest to the highest level, with its band. */
export function degradationTable(result: Result, style: Style): Table | null {
  const ds = result.analysis.degradation;
  if (ds.length === 0) return null;
  return {
    header: ["suite", "layer", "metric", "unit", ds[0].bottomLevel, ds[0].topLevel, "degradation", ""],
    rows: ds.map((d, i) => [
      i > 0 && ds[i - 1].suite === d.suite ? "" : d.suite,
      d.layer,
      d.label,
      style.dim(unitOf(result, d)),
      formatNumber(d.bottom),
      formatNumber(d.top),
      d.percent < 0 ? `${formatPercent(d.percent)} (improved)` : formatPercent(d.percent),
      mark(d.verdict, style),
    ]),
    align: ["left", "left", "left", "left", "right", "right", "right", "left"],
  };
}

// A degradation carries no unit: take it from the metric it was computed from.
function unitOf(result: Result, d: Analysis["degradation"][number]): string {
  const metricId = `${d.suite}.${d.layer}.${d.key}`;
  const m = result.levels.map((l) => find(l, metricId)).find((x) => x);
  return m?.unit ?? specOf(metricId, result.plan)?.unit ?? "";
}

export function bottleneckLine(result: Result): string {
  const b = result.analysis.bottleneck;
  if (result.levels.length < 2) return "Degradation needs at least two levels: run more than one (e.g. --quick).";
  if (!b) return "Bottleneck: none: no throughput metric degraded from the lowest to the highest level.";
  const d = result.analysis.degradation.find((x) => x.suite === b.suite && x.layer === b.layer && x.key === b.key);
  const where = d ? ` from ${d.bottomLevel} to ${d.topLevel}` : "";
  return `Bottleneck: ${b.suite} ${b.layer} ${d?.label ?? b.key} degrades most (${formatPercent(b.percent)}${where}): likely ${b.cause}.`;
}

export const BANDS_NOTE =
  "Degradation = (1 − top / bottom) × 100 %: < 10 % ✅ excellent, 10–30 % ⚠️ good, > 30 % ❌ poor; negative means it improved with load.";
