import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { ENTRY_SCRIPTS, scriptBeside } from "../src/host/script-paths.ts";

describe("scriptBeside()", () => {
  it("finds serve.ts beside the TypeScript sources", () => {
    assert.equal(scriptBeside("../bin/serve", "file:///repo/src/host/server-process.ts"), "/repo/src/bin/serve.ts");
  });

  it("finds serve.js in the built npm package, where no .ts file is shipped", () => {
    assert.equal(
      scriptBeside("../bin/serve", "file:///app/node_modules/wsstress/dist/src/host/server-process.js"),
      "/app/node_modules/wsstress/dist/src/bin/serve.js",
    );
  });

  it("keeps a JSR install's https: URL a URL, which Deno runs as it is", () => {
    assert.equal(
      scriptBeside("../bin/serve", "https://jsr.io/@wsstress/wsstress/0.1.0/src/host/server-process.ts"),
      "https://jsr.io/@wsstress/wsstress/0.1.0/src/bin/serve.ts",
    );
  });

  it("names the process entries the host starts, each a file in src/bin", () => {
    for (const [name, script] of Object.entries(ENTRY_SCRIPTS)) {
      assert.ok(existsSync(script) && /[/\\]src[/\\]bin[/\\][\w-]+\.ts$/.test(script), `${name}: ${script}`);
    }
  });
});
