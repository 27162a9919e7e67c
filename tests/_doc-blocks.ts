/**
 * README.md and docs/*.md as the tests read them: their code blocks, each with
 * the marker that may stand on the line before it, and the generated blocks
 * (every command's --help, the metric catalogue, the fault classes, the
 * result document's fields, an alerting rule, the conformance cases), written from the code between
 * `<!-- NAME:start (generated) -->` and `<!-- NAME:end -->`.
 * `node tests/_doc-blocks.ts --write` refreshes them; tests/readme.test.ts
 * fails when they drift from the code. (docs/architecture.md's blocks are
 * tests/_architecture.ts's, with the same markers.)
 *
 * A marker says how a block runs when it cannot run plainly, and why:
 *   <!-- run: exit 0 or 1, because … -->   exit codes that count as done, for the lines that end
 *                                          on a verdict (--fail-on, compare, matrix); others exit 0
 *   <!-- run: the first line is a server … --> that line is started on a free port and stopped after
 *   <!-- run: installed … -->              run by tests/package.test.ts from the packed package
 *   <!-- not run: … -->                    not run at all, with the reason (rare: the test counts them)
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { alertsHelp } from "../src/cli/alerts-command.ts";
import { compareHelp } from "../src/cli/compare-command.ts";
import { conformHelp } from "../src/cli/conform-command.ts";
import { matrixHelp } from "../src/cli/matrix-command.ts";
import { mergeHelp } from "../src/cli/merge-command.ts";
import { reportHelp } from "../src/cli/report-command.ts";
import { helpText } from "../src/cli/run-command.ts";
import { schemaHelp } from "../src/cli/schema-command.ts";
import { serveHelp } from "../src/cli/serve-command.ts";
import { VERSION } from "../src/model/version.ts";
import { alertRules, judgedByPlan, renderAlertRules } from "../src/report/alert-rules.ts";
import { conformanceCasesTable } from "../src/report/conformance-cases-table.ts";
import { faultsTable } from "../src/report/faults-table.ts";
import { metricsTable } from "../src/report/metrics-table.ts";
import { schemaTable } from "./_schema-table.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** README.md first, then docs/ in name order: the files whose every block a test runs. */
export const DOC_FILES: string[] = [
  "README.md",
  ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`),
];

const text = (help: string): string => "```text\n" + help + "\n```";

/** Each generated block: the file it lives in and what writes it. */
export const GENERATED: Record<string, { file: string; render: () => string }> = {
  help: { file: "docs/cli.md", render: () => text(helpText(VERSION)) },
  "help-matrix": { file: "docs/cli.md", render: () => text(matrixHelp()) },
  "help-compare": { file: "docs/cli.md", render: () => text(compareHelp()) },
  "help-conform": { file: "docs/cli.md", render: () => text(conformHelp()) },
  "help-merge": { file: "docs/cli.md", render: () => text(mergeHelp()) },
  "help-serve": { file: "docs/cli.md", render: () => text(serveHelp()) },
  "help-report": { file: "docs/cli.md", render: () => text(reportHelp()) },
  "help-schema": { file: "docs/cli.md", render: () => text(schemaHelp()) },
  "help-alerts": { file: "docs/cli.md", render: () => text(alertsHelp()) },
  metrics: { file: "docs/metrics.md", render: () => metricsTable() },
  faults: { file: "docs/honest-numbers.md", render: () => faultsTable() },
  schema: { file: "docs/results.md", render: () => schemaTable() },
  "alert-rules": { file: "docs/results.md", render: alertRulesExample },
  cases: { file: "docs/conformance.md", render: () => conformanceCasesTable() },
};

/** The rules `wsstress alerts --suite message` writes for the wire p99, as they stand in the rule file. */
function alertRulesExample(): string {
  const p99 = judgedByPlan(["message"]).filter((j) => j.layer === "wire" && j.key === "rtt_p99_ms");
  return "```yaml\n" + renderAlertRules(alertRules(p99), "the default thresholds").trimEnd() + "\n```";
}

const markers = (name: string): [string, string] => [`<!-- ${name}:start (generated) -->`, `<!-- ${name}:end -->`];

export const readDoc = (file: string): string => readFileSync(join(ROOT, file), "utf8");

/** The text between a generated block's markers, or undefined when the markers are missing. */
export function readBlock(doc: string, name: string): string | undefined {
  const [start, end] = markers(name);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  return from < 0 || to < from ? undefined : doc.slice(from + start.length, to).trim();
}

/** `text` with every block of `blocks` rendered anew between its markers; `file` names it when a block's markers are missing. */
export function refreshBlocks(text: string, blocks: Record<string, () => string>, file: string): string {
  let out = text;
  for (const [name, render] of Object.entries(blocks)) {
    const [start, end] = markers(name);
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${file} lacks the ${start} … ${end} markers`);
    out = out.slice(0, from + start.length) + "\n" + render() + "\n" + out.slice(to);
  }
  return out;
}

/** `doc` with every generated block that lives in `file` written afresh. */
export function refresh(file: string, doc: string): string {
  const mine = Object.entries(GENERATED).filter(([, g]) => g.file === file);
  return refreshBlocks(doc, Object.fromEntries(mine.map(([name, g]) => [name, g.render])), file);
}

export type Mark =
  | { kind: "exit"; codes: number[]; why: string }
  | { kind: "server"; why: string }
  | { kind: "installed"; why: string }
  | { kind: "not run"; why: string };

export type Block = { file: string; line: number; lang: string; body: string; generated?: string; mark?: Mark };

function parseMark(comment: string, where: string): Mark {
  const notRun = /^not run: (.+)$/s.exec(comment);
  if (notRun) return { kind: "not run", why: notRun[1] };
  const exit = /^run: exit ((?:\d+(?:, | or )?)+),? (?:because|when) (.+)$/s.exec(comment);
  if (exit) return { kind: "exit", codes: exit[1].split(/, | or /).map(Number), why: exit[2] };
  const server = /^run: the first line is a server(.*)$/s.exec(comment);
  if (server) return { kind: "server", why: server[1].trim() };
  const installed = /^run: installed(.*)$/s.exec(comment);
  if (installed) return { kind: "installed", why: installed[1].trim() };
  throw new Error(`${where}: a marker the doc test does not understand: <!-- ${comment} -->`);
}

/** Every fenced block of `file`, in order, with its marker and the generated block it sits in. */
export function codeBlocks(file: string): Block[] {
  const lines = readDoc(file).split("\n");
  const blocks: Block[] = [];
  let generated: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const opened = /^<!-- ([\w-]+):start \(generated\) -->$/.exec(lines[i]);
    if (opened) generated = opened[1];
    if (/^<!-- [\w-]+:end -->$/.test(lines[i])) generated = undefined;
    const fence = /^```([\w-]*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`${file}:${i + 1}: a code block that never closes`);
    const comment = /^<!-- ((?:not run|run):[\s\S]*) -->$/.exec(lines[i - 1] ?? "")?.[1];
    const mark = comment === undefined ? undefined : parseMark(comment.replace(/\s+/g, " "), `${file}:${i}`);
    blocks.push({ file, line: i + 1, lang: fence[1], body: lines.slice(i + 1, end).join("\n") + "\n", generated, mark });
    i = end;
  }
  return blocks;
}

/** The shell commands of a block: `$ ` lines of a console block, every line of an sh block; comments and blanks left out. */
export function commandLines(block: Block): string[] {
  const lines = block.body.split("\n");
  const raw = block.lang === "console" ? lines.filter((l) => l.startsWith("$ ")).map((l) => l.slice(2)) : lines;
  return raw.join("\n").replace(/\\\n\s*/g, "").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

export type RuntimeName = "node" | "deno" | "bun";

/** The runtime a command line runs on: `npx deno …` is Deno's, `npx wsstress …` Node's. */
export function ownerOf(line: string): RuntimeName | undefined {
  const words = line.replace(/^(\w+=\S+\s+)+/, "").split(/\s+/);
  const tool = words[0] === "npx" ? (["deno", "bun", "node"].includes(words[1]) ? words[1] : "node") : words[0];
  if (tool === "node" || tool === "npm") return "node";
  if (tool === "deno") return "deno";
  if (tool === "bun" || tool === "bunx") return "bun";
  return undefined;
}

// only when run itself: tests/_architecture.ts imports this file and writes its own doc
if (process.argv.includes("--write") && process.argv[1]?.endsWith("_doc-blocks.ts")) {
  for (const file of DOC_FILES) {
    const doc = readDoc(file);
    const fresh = refresh(file, doc);
    if (fresh !== doc) writeFileSync(join(ROOT, file), fresh);
  }
}
