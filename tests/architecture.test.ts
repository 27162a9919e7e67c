/**
 * The floors of `src/`, checked from the import statements (docs/architecture.md):
 * no import runs from a lower floor to a higher one, none forms a loop, a
 * `_`-private file is imported from its own folder only, runtime APIs stay in
 * the folders that may touch a runtime, and no two files share a name. Prints
 * the floors and what it counted, which docs/architecture.md quotes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FLOORS, importGraph, RUNTIME_FOLDERS } from "./_imports.ts";

const graph = importGraph();
const floorOf = (file: string): number => FLOORS.indexOf(graph.files.get(file)!.floor);
const edges = [...graph.files.values()].flatMap((f) => f.imports.filter((i) => i.file !== undefined).map((i) => ({ from: f.path, to: i.file!, line: i.line })));

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
    do (w = stack.pop()!), onStack.delete(w), component.push(w);
    while (w !== v);
    if (component.length > 1 || edges.some((e) => e.from === v && e.to === v)) found.push(component.sort());
  };
  for (const file of graph.files.keys()) if (!index.has(file)) visit(file);
  return found;
}

const folderOf = (file: string): string => file.slice(0, file.lastIndexOf("/"));
const baseName = (file: string): string => file.slice(file.lastIndexOf("/") + 1);
const sources = [...graph.files.values()];

const upward = edges.filter((e) => floorOf(e.to) > floorOf(e.from)).map((e) => `${e.line} (${graph.files.get(e.from)!.floor} → ${graph.files.get(e.to)!.floor})`);
const cycles = loops();
const leaks = edges.filter((e) => baseName(e.to).startsWith("_") && folderOf(e.to) !== folderOf(e.from)).map((e) => e.line);
const misplaced = sources.filter((f) => !RUNTIME_FOLDERS.includes(f.floor)).flatMap((f) => f.runtimeUses.map((use) => `${f.path}: ${use}`));
const byName = new Map<string, string[]>();
for (const file of graph.files.keys()) if (baseName(file) !== "mod.ts") byName.set(baseName(file), [...(byName.get(baseName(file)) ?? []), file]);
const sameNames = [...byName.values()].filter((files) => files.length > 1);

describe("the floors of src/", () => {
  it("are the folders of src/, each file on one floor", () => {
    const unknown = sources.filter((f) => !FLOORS.includes(f.floor)).map((f) => f.path);
    assert.deepEqual(unknown, [], `files outside the floors ${FLOORS.join(", ")}`);
  });

  it("import only from their own floor or a lower one", () => {
    assert.deepEqual(upward, []);
  });

  it("import nothing in a loop", () => {
    assert.deepEqual(cycles, []);
  });

  it("import a _private file only from its own folder", () => {
    assert.deepEqual(leaks, []);
  });

  it(`use runtime APIs (node:*, ws, Deno.*, Bun.*) only in ${RUNTIME_FOLDERS.join(", ")}`, () => {
    assert.deepEqual(misplaced, []);
  });

  it("give every file a name no other file has (barrels excepted: each folder's mod.ts)", () => {
    assert.deepEqual(sameNames, []);
  });

  it("prints the floors and the counts checked", () => {
    const lines = ["floor        files  imports of ours (static + dynamic)   may use runtime APIs"];
    for (const [i, floor] of [...FLOORS.entries()].reverse()) {
      const files = sources.filter((f) => f.floor === floor);
      const out = edges.filter((e) => graph.files.get(e.from)!.floor === floor);
      const below = new Set(out.map((e) => graph.files.get(e.to)!.floor).filter((f) => f !== floor));
      const to = [...below].sort((a, b) => FLOORS.indexOf(b) - FLOORS.indexOf(a)).join(", ");
      lines.push(`${String(i).padStart(2)} ${floor.padEnd(10)} ${String(files.length).padStart(4)}  ${String(out.length).padStart(4)}${to ? ` → ${to}` : ""}`.padEnd(52) + (RUNTIME_FOLDERS.includes(floor) ? "   yes" : ""));
    }
    const total = graph.files.size;
    const runtime = sources.reduce((n, f) => n + f.runtimeUses.length, 0);
    lines.push(
      `${total} files, ${edges.length} imports of ours, ${graph.external} of packages and runtime modules, ${runtime} runtime API uses: ` +
        `${upward.length} upward, ${cycles.length} loops, ${leaks.length} private imports from another folder, ` +
        `${misplaced.length} runtime uses outside ${RUNTIME_FOLDERS.join("/")}, ${sameNames.length} shared file names`,
    );
    console.log(lines.join("\n"));
    assert.ok(total > 100 && edges.length > total);
  });
});
