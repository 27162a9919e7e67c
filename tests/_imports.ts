/**
 * The import statements of `src/` and `mod.ts`, read as text (no parser, no
 * dependency): `import … from`, `export … from`, `import "…"` and
 * `import("…")` with a string literal, outside comments. The floors are
 * written here once; docs/architecture.md explains them.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/** Lowest first: a file may import its own floor and those before it. `index.ts` is the SDK entry, `mod.ts`'s one line. */
export const FLOORS: readonly string[] = [
  "model",
  "protocol",
  "hub",
  "analysis",
  "profiles",
  "load",
  "conformance",
  "suites",
  "report",
  "run",
  "adapters",
  "host",
  "cli",
  "bin",
  "index.ts",
];

/**
 * Where `node:*`, `ws`, `Deno.*` and `Bun.*` may appear: the socket adapters
 * (one file per runtime), the host's services (processes, /proc, files), and
 * the command and process entries that read argv, print and exit. Everything
 * below them gets those abilities passed in.
 */
export const RUNTIME_FOLDERS: readonly string[] = ["adapters", "host", "cli", "bin"];

export type Import = {
  /** the specifier as written */
  specifier: string;
  /** the file of ours it names (repo-relative), undefined for a package or a runtime module */
  file?: string;
  /** `import type` / `export type`: erased, loads nothing */
  typeOnly: boolean;
  /** `import("…")`: loaded when that line runs, not when the module loads */
  dynamic: boolean;
  /** `path:line: specifier`, for messages */
  line: string;
};

export type SourceFile = { path: string; floor: string; imports: Import[]; runtimeUses: string[] };

/** The code of a file without its comments: block comments and `//` comments that start a line or follow code. */
function code(text: string): string[] {
  const lines = text.split("\n");
  let inBlock = false;
  return lines.map((line) => {
    let out = "";
    let i = 0;
    while (i < line.length) {
      if (inBlock) {
        const end = line.indexOf("*/", i);
        if (end < 0) return out;
        inBlock = false;
        i = end + 2;
        continue;
      }
      const rest = line.slice(i);
      // a quote: copy the string whole, so "ws://…" or "/*" inside one is not a comment
      const quote = /^(["'`])/.exec(rest);
      if (quote) {
        const close = new RegExp(`^${quote[1]}(\\\\.|[^\\\\${quote[1]}])*${quote[1]}`).exec(rest);
        const literal = close ? close[0] : rest;
        out += literal;
        i += literal.length;
        continue;
      }
      if (rest.startsWith("/*")) {
        inBlock = true;
        i += 2;
        continue;
      }
      if (rest.startsWith("//")) return out;
      out += line[i++];
    }
    return out;
  });
}

const STATEMENT =
  /^[ \t]*(import|export)\s+(type\s+)?(\{[^}]*\}|\*(\s+as\s+\w+)?|\w+(\s*,\s*(\{[^}]*\}|\*\s+as\s+\w+))?)\s+from\s+"([^"]+)"/gm;
const BARE = /^[ \t]*import\s+"([^"]+)"/gm;
const DYNAMIC = /\bimport\(\s*"([^"]+)"\s*\)/g;
/** `Deno.serve`, `globalThis.Bun`, `{ Deno: … }`: any mention of the two runtimes' globals in code (strings blanked) */
const RUNTIME_GLOBAL = /\b(Deno|Bun)\b(\.[A-Za-z]+)?/g;
const STRING = /"(\\.|[^"\\])*"|'(\\.|[^'\\])*'|`(\\.|[^`\\])*`/g;

function floorOf(file: string): string {
  const inSrc = file.slice("src/".length);
  return inSrc.includes("/") ? inSrc.slice(0, inSrc.indexOf("/")) : inSrc;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(`${dir}/${e.name}`) : e.name.endsWith(".ts") ? [`${dir}/${e.name}`] : []
  );
}

export function parseFile(file: string): SourceFile {
  const text = code(readFileSync(path.join(ROOT, file), "utf8")).join("\n");
  const lineAt = (index: number): number => text.slice(0, index).split("\n").length;
  const imports: Import[] = [];
  const runtimeUses: string[] = [];
  const add = (specifier: string, index: number, typeOnly: boolean, dynamic: boolean): void => {
    const own = specifier.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : undefined;
    imports.push({ specifier, file: own, typeOnly, dynamic, line: `${file}:${lineAt(index)}: ${specifier}` });
    if (specifier.startsWith("node:") || specifier === "ws") runtimeUses.push(`imports ${specifier}`);
  };
  for (const m of text.matchAll(STATEMENT)) add(m[7], m.index, m[2] !== undefined, false);
  for (const m of text.matchAll(BARE)) add(m[1], m.index, false, false);
  for (const m of text.matchAll(DYNAMIC)) add(m[1], m.index, false, true);
  for (const m of text.replace(STRING, (s) => s.replace(/[^\n]/g, " ")).matchAll(RUNTIME_GLOBAL)) {
    runtimeUses.push(`uses ${m[0]} (line ${lineAt(m.index)})`);
  }
  return { path: file, floor: file.startsWith("src/") ? floorOf(file) : file, imports, runtimeUses };
}

export type ImportGraph = { files: Map<string, SourceFile>; external: number };

/** Every file of src/, with its imports. */
export function importGraph(): ImportGraph {
  const files = new Map(sourcesUnder("src").map((f) => [f, parseFile(f)]));
  const external = [...files.values()].reduce((n, f) => n + f.imports.filter((i) => i.file === undefined).length, 0);
  return { files, external };
}

/**
 * What loading `entries` loads: every module reached through imports that
 * are neither type-only (erased) nor dynamic (run later), with the chain that
 * reached it.
 */
export function staticClosure(entries: readonly string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue: Array<[string, string[]]> = entries.map((e) => [e, [e]]);
  while (queue.length > 0) {
    const [file, chain] = queue.shift()!;
    if (reached.has(file)) continue;
    reached.set(file, chain);
    if (!file.endsWith(".ts")) continue;
    for (const i of parseFile(file).imports) {
      if (i.typeOnly || i.dynamic) continue;
      const target = i.file ?? i.specifier;
      if (!reached.has(target)) queue.push([target, [...chain, target]]);
    }
  }
  return reached;
}
