/**
 * Importing wsstress loads no runtime module: `import { stress } from
 * "./mod.ts"` (and the `wsstress/protocol` and `wsstress/hub` entries) reach
 * no `node:*` module, no `ws`, no adapter and no host service through their
 * static imports, so Deno, Bun or a browser bundle load only runtime-free
 * code until a run starts (then the entry imports this machine's services).
 * Walks the import statements as `tests/_imports.ts` reads them; type-only
 * imports are erased and dynamic ones run later, so neither counts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { staticClosure } from "./_imports.ts";

/** Packages that load no runtime module themselves (checked by hand: none imports node:*, os, module or fs). */
const RUNTIME_FREE_PACKAGES = ["valibot", "@valibot/to-json-schema", "mitata"];
const RUNTIME_FOLDERS = /^src\/(adapters|host|cli|bin)\//;

function runtimeModulesReached(entry: string): string[] {
  return [...staticClosure([entry])]
    .filter(([module]) => (module.endsWith(".ts") ? RUNTIME_FOLDERS.test(module) : !RUNTIME_FREE_PACKAGES.includes(module)))
    .map(([, chain]) => chain.join(" → "));
}

describe("importing wsstress", () => {
  for (const entry of ["mod.ts", "src/protocol/mod.ts", "src/hub/mod.ts"]) {
    it(`loads no node:* module, ws, adapter or host service from ${entry} until a run starts`, () => {
      const reached = staticClosure([entry]);
      assert.ok(reached.size > (entry === "mod.ts" ? 50 : 3), `the walk reached ${reached.size} modules`);
      assert.deepEqual(runtimeModulesReached(entry), []);
    });
  }

  it("does load them once a run starts: stress() imports this machine's platform lazily", async () => {
    const { stress } = await import("../mod.ts");
    const report = await stress().level({ name: "tiny", operations: 20, connections: 2, messagesPerConnection: 10, subscribers: 2 }).suite(
      "message",
    ).warmup(false).run();
    assert.equal(report.json.status, "complete");
  });
});
