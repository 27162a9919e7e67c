/**
 * A stress run's conformance under load (`--conform`) as tables, for the
 * terminal, markdown and HTML reports: the idle round, then each level's
 * runs, protocol violations, connections that never opened, close codes
 * seen and deflate handshakes, with the verdict; then every case that went
 * wrong at some level, with its first reason.
 */
import type { LevelConformance, Result } from "../model/result.ts";
import { mark, type Style } from "./format.ts";
import type { Table } from "./_table.ts";
import { verdictText } from "./conformance-tables.ts";

const closeCodes = (c: LevelConformance): string =>
  Object.entries(c.closeCodes).sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code} ×${n}`).join(", ") || "—";

const deflate = (c: LevelConformance): string =>
  c.deflate.offered === 0
    ? "—"
    : `${c.deflate.negotiated}/${c.deflate.offered} negotiated${c.deflate.failures ? `, ${c.deflate.failures} failed` : ""}`;

/** One row for the idle round, one per level that sampled; null without --conform. */
export function conformanceLoadTable(result: Result, style: Style): Table | null {
  if (!result.conformance) return null;
  const row = (name: string, c: LevelConformance): string[] => [
    name,
    String(c.rounds),
    String(c.runs),
    c.violations === 0 ? "0" : style.verdict(String(c.violations), "fail"),
    String(c.counts["NON-STRICT"]),
    c.unopened === 0 ? "0" : style.verdict(String(c.unopened), "warn"),
    closeCodes(c),
    deflate(c),
    mark(c.verdict, style),
  ];
  const rows = [
    row("idle", result.conformance.idle),
    ...result.levels.filter((l) => l.conformance).map((l) => row(l.level.name, l.conformance!)),
  ];
  return {
    header: ["level", "rounds", "runs", "violations", "non-strict", "unopened", "close codes (server)", "deflate", ""],
    rows,
    align: ["left", "right", "right", "right", "right", "right", "left", "left", "left"],
  };
}

/** Every case that was not OK at some level (or idle): where, how often, and the first reason. */
export function conformanceLoadFailures(result: Result, style: Style): Table | null {
  if (!result.conformance) return null;
  const levels: Array<[string, LevelConformance]> = [
    ["idle", result.conformance.idle],
    ...result.levels.flatMap((l): Array<[string, LevelConformance]> => (l.conformance ? [[l.level.name, l.conformance]] : [])),
  ];
  const rows = levels.flatMap(([name, c]) =>
    c.failures.map((f) => [name, f.id, verdictText(f.verdict, style), `${f.count}/${c.runs}`, f.reason])
  );
  return rows.length === 0
    ? null
    : { header: ["level", "case", "verdict", "runs", "first reason"], rows, align: ["left", "left", "left", "right", "left"] };
}

/** The sentence above the tables: what ran and how it is judged. */
export function conformanceLoadNote(result: Result): string {
  const c = result.conformance;
  if (!c) return "";
  return `The sample (${
    c.sample.join(", ")
  }) ran once on the idle server, then in rounds on extra connections while each level's suites ran ` +
    `(messages as ${c.profile === "any" ? "any protocol: only the cases that need no echo" : c.profile}). ` +
    "A violation (a FAILED case) or a failed deflate negotiation fails the level; a connection that never opened warns.";
}
