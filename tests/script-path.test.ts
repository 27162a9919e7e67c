import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scriptBeside } from "../src/adapters/_script-path.ts";

describe("scriptBeside()", () => {
  it("finds serve.ts beside the TypeScript sources", () => {
    assert.equal(scriptBeside("../serve", "file:///repo/src/adapters/server-process.ts"), "/repo/src/serve.ts");
  });

  it("finds serve.js in the built npm package, where no .ts file is shipped", () => {
    assert.equal(scriptBeside("../serve", "file:///app/node_modules/wsstress/dist/src/adapters/server-process.js"), "/app/node_modules/wsstress/dist/src/serve.js");
  });

  it("keeps a JSR install's https: URL a URL, which Deno runs as it is", () => {
    assert.equal(
      scriptBeside("../serve", "https://jsr.io/@wsstress/wsstress/0.1.0/src/adapters/server-process.ts"),
      "https://jsr.io/@wsstress/wsstress/0.1.0/src/serve.ts",
    );
  });
});
