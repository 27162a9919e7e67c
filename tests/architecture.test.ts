/**
 * The floors of `src/` (docs/architecture.md), checked from the import
 * statements: no import runs from a lower floor to a higher one, none forms a
 * loop, a `_`-private file is imported from its own folder only, runtime APIs
 * stay in the folders that may touch a runtime, and no two files share a
 * name. Prints the floors and what it counted; the doc quotes that output and
 * the picture, generated from the same graph (`node tests/_architecture.ts --write`).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BLOCKS, DOC, edges, findings, floorReport, readBlock } from "./_architecture.ts";
import { FLOORS, RUNTIME_FOLDERS } from "./_imports.ts";

describe("the floors of src/", () => {
  it("are the folders of src/ (and src/index.ts, the SDK entry), each file on one floor", () => {
    assert.deepEqual(findings.outsideFloors, [], `files outside the floors ${FLOORS.join(", ")}`);
  });

  it("import only from their own floor or a lower one", () => {
    assert.deepEqual(findings.upward, []);
  });

  it("import nothing in a loop", () => {
    assert.deepEqual(findings.loops, []);
  });

  it("import a _private file only from its own folder", () => {
    assert.deepEqual(findings.privateLeaks, []);
  });

  it(`use runtime APIs (node:*, ws, Deno.*, Bun.*) only in ${RUNTIME_FOLDERS.join(", ")}`, () => {
    assert.deepEqual(findings.misplacedRuntime, []);
  });

  it("give every file a name no other file has (barrels excepted: each folder's mod.ts)", () => {
    assert.deepEqual(findings.sameNames, []);
  });

  it("are shown in docs/architecture.md as the code has them, and printed here", () => {
    console.log(floorReport());
    assert.ok(edges.length > 500, `the walk found ${edges.length} imports`);
    const doc = readFileSync(DOC, "utf8");
    for (const [name, render] of Object.entries(BLOCKS)) {
      assert.equal(readBlock(doc, name), render(), `the ${name} block is stale: run node tests/_architecture.ts --write`);
    }
  });
});
