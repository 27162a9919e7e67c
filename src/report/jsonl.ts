/**
 * @module
 * The run as a stream of JSON lines (`--jsonl`), one per event that
 * finishes something, written while the run goes on so a crash or Ctrl-C
 * keeps every suite finished; and the rebuild of a full result document from
 * such a stream, with the analysis and verdicts recomputed by the core.
 *
 * @example
 * ```ts
 * import { jsonlLine, parseJsonl, rebuildResult } from "./jsonl.ts";
 * builder.onProgress((e) => { const line = jsonlLine(e); if (line) append(JSON.stringify(line) + "\n"); });
 * const result = rebuildResult(parseJsonl(text).lines);
 * ```
 */
import * as v from "valibot";
import { levelVerdict, overallVerdict, suiteVerdict } from "../analysis/verdicts.ts";
import { analyze } from "./analysis-section.ts";
import { type Level, LevelSchema } from "../model/levels.ts";
import type { ProgressEvent } from "../model/progress-events.ts";
import { VERSION } from "../model/version.ts";
import {
  type LevelResult,
  LevelResultSchema,
  parseResult,
  type Result,
  ResultSchema,
  SCHEMA_VERSION,
  type SuiteResult,
  SuiteResultSchema,
} from "../model/result.ts";

const timestamp = v.pipe(v.string(), v.isoTimestamp());
const header = ResultSchema.entries;

/** One line of a `--jsonl` stream; `at` is when it was written. */
export type JsonlLine =
  | ({ type: "run-start"; at: string } & Pick<Result, "schemaVersion" | "tool" | "runtime" | "machine" | "server" | "plan" | "startedAt">)
  | { type: "warmup-end"; at: string; result: LevelResult }
  | { type: "level-start"; at: string; level: Level }
  | { type: "suite-end"; at: string; level: Level; result: SuiteResult }
  | { type: "level-end"; at: string; result: Omit<LevelResult, "suites"> }
  | { type: "run-end"; at: string; result: Omit<Result, "levels" | "analysis" | "verdict"> };

export const JsonlLineSchema: v.GenericSchema<unknown, JsonlLine> = v.variant("type", [
  v.object({
    type: v.literal("run-start"),
    at: timestamp,
    schemaVersion: header.schemaVersion,
    tool: header.tool,
    runtime: header.runtime,
    machine: header.machine,
    server: header.server,
    plan: header.plan,
    startedAt: timestamp,
  }),
  // the warm-up's faults, in full: they count in the verdict even when the run dies before its end
  v.object({ type: v.literal("warmup-end"), at: timestamp, result: LevelResultSchema }),
  v.object({ type: v.literal("level-start"), at: timestamp, level: LevelSchema }),
  v.object({ type: v.literal("suite-end"), at: timestamp, level: LevelSchema, result: SuiteResultSchema }),
  // everything of the level but its suites, which came line by line
  v.object({ type: v.literal("level-end"), at: timestamp, result: v.omit(LevelResultSchema, ["suites"]) }),
  // the header as the run finished it; levels, analysis and verdict are rebuilt
  v.object({ type: v.literal("run-end"), at: timestamp, result: v.omit(ResultSchema, ["levels", "analysis", "verdict"]) }),
]);

/** The line for a progress event, or undefined for events that finish nothing (warm-up, suite-start). */
export function jsonlLine(event: ProgressEvent, now: Date = new Date()): JsonlLine | undefined {
  const at = now.toISOString();
  switch (event.type) {
    case "run-start":
      return {
        type: "run-start",
        at,
        schemaVersion: SCHEMA_VERSION,
        tool: { name: "wsstress", version: VERSION },
        runtime: event.runtime,
        machine: event.machine,
        server: event.server,
        plan: event.plan,
        startedAt: event.startedAt,
      };
    case "warmup-end":
      return { type: "warmup-end", at, result: event.result };
    case "level-start":
      return { type: "level-start", at, level: event.level };
    case "suite-end":
      return { type: "suite-end", at, level: event.level, result: event.result };
    case "level-end": {
      const { suites: _, ...rest } = event.result;
      return { type: "level-end", at, result: rest };
    }
    case "run-end": {
      const { levels: _l, analysis: _a, verdict: _v, ...rest } = event.result;
      return { type: "run-end", at, result: rest };
    }
    default:
      return undefined;
  }
}

/** A line that is not JSON or not a valid line: `line` counts from 1, `path` is inside that line. */
export class JsonlError extends Error {
  readonly line: number;
  readonly path: string;
  constructor(line: number, path: string, message: string) {
    super(`line ${line}${path ? `, ${path}` : ""}: ${message}`);
    this.name = "JsonlError";
    this.line = line;
    this.path = path;
  }
}

/**
 * Parses and validates every line. A last line cut short (the run died
 * while writing it) is left out with a warning; any other bad line throws.
 */
export function parseJsonl(text: string): { lines: JsonlLine[]; warnings: string[] } {
  const raw = text.split("\n");
  const lines: JsonlLine[] = [];
  const warnings: string[] = [];
  for (const [i, source] of raw.entries()) {
    if (source.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(source);
    } catch (error) {
      const last = raw.slice(i + 1).every((rest) => rest.trim() === "") && !text.endsWith("\n");
      if (last) {
        warnings.push(`line ${i + 1} is cut short (the run stopped while writing it); left out`);
        continue;
      }
      throw new JsonlError(i + 1, "", `not JSON: ${(error as Error).message}`);
    }
    const parsed = v.safeParse(JsonlLineSchema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      throw new JsonlError(i + 1, v.getDotPath(issue) ?? "", issue.message);
    }
    lines.push(parsed.output);
  }
  return { lines, warnings };
}

type LevelEnd = Extract<JsonlLine, { type: "level-end" }>["result"];
type LevelParts = { level: Level; startedAt?: string; end?: LevelEnd; lastAt: string; suites: SuiteResult[] };

/**
 * The result document the lines describe. Levels and suites are taken as
 * written; verdicts, the analysis and the overall verdict are recomputed. A
 * stream without its run-end line (a crash) gives a partial result that ends
 * at its last line.
 */
export function rebuildResult(lines: readonly JsonlLine[]): Result {
  const start = lines.find((l) => l.type === "run-start");
  if (!start) throw new JsonlError(1, "type", "no run-start line: this is not a stream written by wsstress --jsonl");
  const parts = new Map<string, LevelParts>();
  const partsOf = (level: Level, at: string) => {
    let p = parts.get(level.name);
    if (!p) parts.set(level.name, p = { level, lastAt: at, suites: [] });
    p.lastAt = at;
    return p;
  };
  let end: Extract<JsonlLine, { type: "run-end" }> | undefined;
  let warmup: LevelResult | undefined;
  let lastAt = start.at;
  for (const line of lines) {
    lastAt = line.at > lastAt ? line.at : lastAt;
    if (line.type === "warmup-end") warmup = line.result;
    if (line.type === "level-start") partsOf(line.level, line.at).startedAt ??= line.at;
    if (line.type === "suite-end") partsOf(line.level, line.at).suites.push(line.result);
    if (line.type === "level-end") partsOf(line.result.level, line.at).end = line.result;
    if (line.type === "run-end") end = line;
  }
  const levels: LevelResult[] = [...parts.values()]
    .filter((p) => p.suites.length > 0)
    .map((p) => {
      const suites = p.suites.map((s) => ({ ...s, verdict: suiteVerdict(s) }));
      // a level the run never finished ends at its last suite
      const startedAt = p.startedAt ?? p.lastAt;
      const level: LevelResult = {
        ...(p.end ?? { level: p.level, startedAt, durationMs: Date.parse(p.lastAt) - Date.parse(startedAt) }),
        suites,
        verdict: "none",
      };
      return { ...level, verdict: levelVerdict(level) };
    });
  const finishedAt = lastAt;
  const { at: _, type: _t, ...started } = start;
  warmup = end?.result.warmup ?? warmup;
  return parseResult({
    ...(end?.result ??
      { ...started, finishedAt, durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(start.startedAt)), status: "partial" }),
    ...(warmup ? { warmup } : {}),
    levels,
    analysis: analyze(levels, warmup, start.plan),
    verdict: overallVerdict(levels, warmup),
  });
}
