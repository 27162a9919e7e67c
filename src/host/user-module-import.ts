/**
 * A user's module (a profile today) is imported as ECMAScript whatever the
 * package.json around it says. `npm init -y` writes `"type": "commonjs"`, under
 * which Node loads `my-profile.ts` and `.js` as CommonJS and fails on the first
 * `import`, although such a file cannot be CommonJS at all. On Node (from
 * 22.15, `module.registerHooks`) a load hook loads such a file as a module:
 * the user's module and every module it imports outside node_modules, when
 * Node would load it as CommonJS but it holds an import or export statement.
 * Deno and Bun load those files as modules already.
 */
import { readFileSync } from "node:fs";
import module from "node:module";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The user's modules and what they import outside node_modules, by URL. */
const userGraph = new Set<string>();
let hooked = false;

// a statement no CommonJS file can hold (a dynamic import() or import.meta is not one)
const MODULE_SYNTAX = /^[ \t]*(?:import[ \t]*[\w{*"']|export[ \t]+[\w{*]|export[ \t]*\{)/m;
const AS_MODULE: Record<string, string> = { commonjs: "module", "commonjs-typescript": "module-typescript" };

function hookNodeLoader(): void {
  hooked = true;
  // Deno and Bun need no hook; Node before 22.15 has none (there a commonjs package needs .mjs or .mts)
  if ("Deno" in globalThis || "Bun" in globalThis || typeof module.registerHooks !== "function") return;
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      const own = resolved.url.startsWith("file:") && !resolved.url.includes("/node_modules/");
      if (own && context.parentURL !== undefined && userGraph.has(context.parentURL)) userGraph.add(resolved.url);
      return resolved;
    },
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      const format = AS_MODULE[String(loaded.format)];
      if (!userGraph.has(url) || format === undefined) return loaded;
      const source = loaded.source ?? readFileSync(fileURLToPath(url));
      return MODULE_SYNTAX.test(String(source)) ? nextLoad(url, { ...context, format }) : loaded;
    },
  });
}

/** What went wrong, in words a user can act on: Node before 22.18 cannot load TypeScript at all. */
function explain(url: string, error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === "ERR_UNKNOWN_FILE_EXTENSION" && /\.[cm]?ts$/.test(url)) {
    return `a TypeScript module needs Node ≥ 22.18, which strips types (this is Node ${process.version}); ` +
      "run it on a newer Node, or write it in JavaScript (.mjs)";
  }
  return error.message;
}

/** Imports the user's module at `url`; an error says what failed, in one line. */
export async function importUserModule(url: string): Promise<Record<string, unknown>> {
  userGraph.add(url);
  if (!hooked) hookNodeLoader();
  try {
    return await import(url);
  } catch (error) {
    throw new Error(explain(url, error as Error), { cause: error });
  }
}
