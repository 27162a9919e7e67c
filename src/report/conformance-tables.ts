/**
 * The tables every conformance rendering shares (terminal, markdown, HTML):
 * the run, the verdicts by group, the cases that are not OK, and a case's
 * wire log. Autobahn's verdicts map onto the report's marks: OK ✅,
 * NON-STRICT ⚠️, FAILED ❌, INFORMATIONAL and UNIMPLEMENTED · (no verdict).
 */
import {
  type CaseResult,
  CONFORMANCE_VERDICTS,
  type ConformanceResult,
  type ConformanceVerdict,
  VERDICT_SEVERITY,
  worstVerdict,
} from "../model/conformance-result.ts";
import type { Verdict } from "../model/result-names.ts";
import { CASE_GROUPS } from "../conformance/case-catalogue.ts";
import { closeCodeText } from "../conformance/close-codes.ts";
import { formatNumber, mark, type Style } from "./format.ts";
import type { Table } from "./_table.ts";

export const AS_VERDICT: Readonly<Record<ConformanceVerdict, Verdict>> = {
  OK: "pass",
  "NON-STRICT": "warn",
  INFORMATIONAL: "none",
  UNIMPLEMENTED: "none",
  FAILED: "fail",
};

/** `✅ OK`, `❌ FAILED`, coloured by `style`. */
export const verdictText = (verdict: ConformanceVerdict, style: Style): string =>
  style.verdict(`${mark(AS_VERDICT[verdict])} ${verdict}`, AS_VERDICT[verdict]);

export const groupTitle = (id: string): string => CASE_GROUPS.find((g) => g.id === id)?.title ?? "";

export function conformanceInfo(result: ConformanceResult): string[][] {
  const t = result.target;
  const server = t.embedded ? `the reference server on ${t.runtime}` : "a server of the user's";
  return [
    ["server", `${t.url} (${server}; messages come back as ${t.profile === "echo" ? "an echo" : "wsstress echo requests"})`],
    ...(t.subprotocol ? [["subprotocol", t.subprotocol]] : []),
    [
      "client",
      `wsstress ${result.tool.version} on ${result.runtime.name} ${result.runtime.version}, ${result.machine.os} ${result.machine.arch}`,
    ],
    [
      "cases",
      `${result.cases.length}${
        result.selection.length ? ` (--cases ${result.selection.join(",")})` : " (the default set: all but 9, 12 and 13)"
      }` +
      `${result.status === "aborted" ? ", stopped early" : ""}`,
    ],
    ...(result.patienceMs > 0
      ? [["patience", `every kill timer waited at least ${formatNumber(result.patienceMs / 1000, 1)} s (--patience)`]]
      : []),
    ["took", `${formatNumber(result.durationMs / 1000, 1)} s`],
    ["verdict", result.verdict],
  ];
}

/** One row per group run: its cases and how many got each verdict; a total row last. */
export function groupTable(result: ConformanceResult, style: Style): Table {
  const groups = new Map<string, CaseResult[]>();
  for (const c of result.cases) {
    const id = c.id.split(".")[0];
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  const row = (label: string, title: string, cases: CaseResult[]): string[] => {
    const counts = CONFORMANCE_VERDICTS.map((v) => cases.filter((c) => c.verdict === v).length);
    const worst = worstVerdict(cases.map((c) => c.verdict));
    return [
      label,
      title,
      String(cases.length),
      ...counts.map((n, i) => (n === 0 ? "·" : style.verdict(String(n), AS_VERDICT[CONFORMANCE_VERDICTS[i]]))),
      verdictText(worst, style),
    ];
  };
  const rows = [...groups.entries()].map(([id, cases]) => row(id, groupTitle(id), cases));
  rows.push(row("all", "", result.cases));
  return {
    header: ["group", "", "cases", ...CONFORMANCE_VERDICTS, "worst"],
    rows,
    align: ["left", "left", "right", "right", "right", "right", "right", "right", "left"],
  };
}

/** Close behaviour in a few words: `1002 by server`, `no close frame`, `UNCLEAN 1000`. */
export function closeText(c: CaseResult): string {
  if (!c.close) return "never opened";
  const code = c.close.code === undefined ? "no code" : closeCodeText(c.close.code);
  const how = c.close.behaviour === "OK" || c.close.behaviour === "INFORMATIONAL" ? "" : `${c.close.behaviour}: `;
  return `${how}${code}, closed by ${c.close.closedBy}`;
}

/** The cases that are not OK, the most severe first (FAILED, NON-STRICT, UNIMPLEMENTED, INFORMATIONAL), each in case order. */
export function notOkCases(result: ConformanceResult): CaseResult[] {
  return result.cases.filter((c) => c.verdict !== "OK").sort((a, b) => VERDICT_SEVERITY[b.verdict] - VERDICT_SEVERITY[a.verdict]);
}

export function notOkTable(result: ConformanceResult, style: Style): Table {
  return {
    header: ["case", "verdict", "close", "why"],
    rows: notOkCases(result).map((c) => [c.id, verdictText(c.verdict, style), closeText(c), c.reason]),
  };
}

/** A case's wire log as lines: time, direction, note, the first bytes in hex. */
export function wireLines(c: CaseResult, max = 40): string[] {
  const entries = c.wire ?? [];
  const arrow = { sent: "→", received: "←", event: "·" } as const;
  const lines = entries.slice(0, max).map((e) =>
    `${formatNumber(e.atMs, 1).padStart(8)} ms ${arrow[e.dir]} ${e.note}${e.hex ? `  [${e.bytes} B: ${e.hex}]` : ""}`
  );
  if (entries.length > max) lines.push(`           … ${entries.length - max} more in the JSON document`);
  return lines;
}
