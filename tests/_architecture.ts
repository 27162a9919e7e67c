/**
 * What the import statements of `src/` say about its floors: every import
 * that runs upward, every loop, every `_`-private file imported from another
 * folder, every runtime API outside the folders that may touch one, every
 * file name two files share; and the two blocks docs/architecture.md shows,
 * generated from the same graph: the floors with their counts, and the
 * picture. `node tests/_architecture.ts --write` refreshes the doc; the
 * architecture test fails when it drifts from the code.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FLOORS, importGraph, RUNTIME_FOLDERS, type SourceFile } from "./_imports.ts";
import { refreshBlocks } from "./_doc-blocks.ts";

export { readBlock } from "./_doc-blocks.ts";

export const DOC: string = fileURLToPath(new URL("../docs/architecture.md", import.meta.url));

const graph = importGraph();
const sources: SourceFile[] = [...graph.files.values()];
const floorOf = (file: string): string => graph.files.get(file)!.floor;
const rank = (floor: string): number => FLOORS.indexOf(floor);
const folderOf = (file: string): string => file.slice(0, file.lastIndexOf("/"));
const baseName = (file: string): string => file.slice(file.lastIndexOf("/") + 1);

/** Every import of one file of ours by another, static or dynamic, type-only or not. */
export const edges: Array<{ from: string; to: string; line: string }> = sources.flatMap((f) =>
  f.imports.filter((i) => i.file !== undefined).map((i) => ({ from: f.path, to: i.file!, line: i.line }))
);

/** Tarjan's strongly connected components of more than one file (or a file that imports itself). */
function loops(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const e of edges.filter((e) => e.from === v)) {
      if (!index.has(e.to)) visit(e.to), low.set(v, Math.min(low.get(v)!, low.get(e.to)!));
      else if (onStack.has(e.to)) low.set(v, Math.min(low.get(v)!, index.get(e.to)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do (w = stack.pop()!), onStack.delete(w), component.push(w); while (w !== v);
    if (component.length > 1 || edges.some((e) => e.from === v && e.to === v)) found.push(component.sort());
  };
  for (const file of graph.files.keys()) if (!index.has(file)) visit(file);
  return found;
}

const byName = new Map<string, string[]>();
for (const file of graph.files.keys()) {
  if (baseName(file) !== "mod.ts") byName.set(baseName(file), [...(byName.get(baseName(file)) ?? []), file]);
}

export const findings = {
  outsideFloors: sources.filter((f) => !FLOORS.includes(f.floor)).map((f) => f.path),
  upward: edges.filter((e) => rank(floorOf(e.to)) > rank(floorOf(e.from))).map((e) => `${e.line} (${floorOf(e.from)} → ${floorOf(e.to)})`),
  loops: loops(),
  privateLeaks: edges.filter((e) => baseName(e.to).startsWith("_") && folderOf(e.to) !== folderOf(e.from)).map((e) => e.line),
  misplacedRuntime: sources.filter((f) => !RUNTIME_FOLDERS.includes(f.floor)).flatMap((f) =>
    f.runtimeUses.map((use) => `${f.path}: ${use}`)
  ),
  sameNames: [...byName.values()].filter((files) => files.length > 1),
};

/** The floors from the top, each with its files, its imports of ours and the floors they reach, and what was counted. */
export function floorReport(): string {
  const width = Math.max(9, ...FLOORS.map((f) => f.length));
  const lines = [`${"floor".padEnd(width)}  files  imports  runtime APIs  imports from`];
  for (const floor of [...FLOORS].reverse()) {
    const files = sources.filter((f) => f.floor === floor);
    const out = edges.filter((e) => floorOf(e.from) === floor);
    const runtime = RUNTIME_FOLDERS.includes(floor) ? "may use" : "none";
    const counts = `${String(files.length).padStart(6)}  ${String(out.length).padStart(7)}`;
    lines.push(`${floor.padEnd(width)} ${counts}  ${runtime.padEnd(12)}  ${below(floor).join(", ") || "nothing of ours"}`);
  }
  const runtimeUses = sources.reduce((n, f) => n + f.runtimeUses.length, 0);
  const f = findings;
  lines.push(
    "",
    `${sources.length} files, ${edges.length} imports of ours, ${graph.external} of packages and runtime modules, ${runtimeUses} runtime API uses (node:*, ws, Deno, Bun)`,
    `${f.upward.length} upward imports, ${f.loops.length} loops, ${f.privateLeaks.length} private files imported from another folder, ` +
      `${f.misplacedRuntime.length} runtime API uses outside ${RUNTIME_FOLDERS.join(", ")}, ${f.sameNames.length} file names shared`,
  );
  return lines.join("\n");
}

/** The floors `floor` imports from, nearest first. */
function below(floor: string): string[] {
  const reached = new Set(edges.filter((e) => floorOf(e.from) === floor).map((e) => floorOf(e.to)).filter((f) => f !== floor));
  return [...reached].sort((a, b) => rank(b) - rank(a));
}

/**
 * The floors as a mermaid graph, top to bottom: an arrow from a floor to each
 * one it imports from, except where a path through other floors already
 * leads there (the transitive reduction), so the picture shows the layers.
 */
export function floorPicture(): string {
  const lines = ["flowchart TD"];
  const id = (floor: string): string => floor.replace(/\W/g, "_");
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    below(from).some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
  for (const floor of [...FLOORS].reverse()) {
    const n = sources.filter((f) => f.floor === floor).length;
    lines.push(`  ${id(floor)}["${floor}${floor.endsWith(".ts") ? "" : "/"} · ${n} file${n === 1 ? "" : "s"}"]`);
  }
  for (const floor of [...FLOORS].reverse()) {
    const direct = below(floor);
    for (const to of direct) if (!direct.some((via) => via !== to && reaches(via, to))) lines.push(`  ${id(floor)} --> ${id(to)}`);
  }
  return lines.join("\n");
}

export const BLOCKS: Record<string, () => string> = {
  floors: () => "```text\n" + floorReport() + "\n```",
  picture: () => "```mermaid\n" + floorPicture() + "\n```",
};

if (process.argv.includes("--write")) writeFileSync(DOC, refreshBlocks(readFileSync(DOC, "utf8"), BLOCKS, "docs/architecture.md"));
