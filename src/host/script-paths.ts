/**
 * Where the process entries (`src/bin/`) live, seen from this folder: `serve.ts`
 * beside the TypeScript sources, `serve.js` in the built npm package (the
 * extension of this module's own URL).
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

/** The process entries the host starts: the reference server, a load worker, the matrix's load client. */
export const ENTRY_SCRIPTS: Readonly<Record<"serve" | "worker" | "client", string>> = {
  serve: scriptBeside("../bin/serve", import.meta.url),
  worker: scriptBeside("../bin/worker", import.meta.url),
  client: scriptBeside("../bin/matrix-client", import.meta.url),
};
