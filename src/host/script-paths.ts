/**
 * Where a script that runs in its own process lives, seen from the module
 * that spawns it: `serve.ts` beside the TypeScript sources, `serve.js` in
 * the built npm package (the extension of the spawning module's own URL).
 * A JSR install runs from https: URLs: those stay URLs, which Deno runs as
 * they are (Node and Bun never load wsstress from one).
 */
import { fileURLToPath } from "node:url";

/** `relative` without its extension, resolved against `from` (the caller's `import.meta.url`). */
export function scriptBeside(relative: string, from: string): string {
  const own = new URL(from).pathname;
  const url = new URL(`${relative}${own.slice(own.lastIndexOf("."))}`, from);
  return url.protocol === "file:" ? fileURLToPath(url) : url.href;
}
