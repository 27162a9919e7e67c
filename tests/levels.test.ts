import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LEVEL_NAMES, LEVELS, levelsUpTo, levelsUpToOperations, parseLevel, QUICK_MAX_OPERATIONS } from "../src/model/levels.ts";

describe("levels", () => {
  it("are the eight seed levels, exactly", () => {
    const table = LEVELS.map((l) => [l.name, l.operations, l.connections, l.messagesPerConnection, l.subscribers]);
    assert.deepEqual(table, [
      ["minimal", 1_000, 10, 100, 5],
      ["light", 10_000, 100, 100, 20],
      ["low", 50_000, 500, 100, 50],
      ["medium", 100_000, 1_000, 100, 100],
      ["high", 500_000, 5_000, 100, 200],
      ["veryHigh", 1_000_000, 10_000, 100, 500],
      ["extreme", 5_000_000, 50_000, 100, 1_000],
      ["maximum", 9_900_000, 99_000, 100, 5_000],
    ]);
    assert.deepEqual(LEVELS.map((l) => l.name), [...LEVEL_NAMES]);
  });

  it("quick runs minimal, light, low and medium", () => {
    assert.deepEqual(levelsUpToOperations(QUICK_MAX_OPERATIONS).map((l) => l.name), ["minimal", "light", "low", "medium"]);
  });

  it("max-load keeps every level whose operations are at most N", () => {
    assert.deepEqual(levelsUpToOperations(5_000_000).map((l) => l.name), LEVEL_NAMES.slice(0, 7));
    assert.deepEqual(levelsUpToOperations(999), []);
  });

  it("upTo includes the named level and everything below it", () => {
    assert.deepEqual(levelsUpTo("low").map((l) => l.name), ["minimal", "light", "low"]);
  });

  it("a custom level is validated field by field", () => {
    const level = parseLevel({ name: "tiny", operations: 200, connections: 2, messagesPerConnection: 10, subscribers: 2 });
    assert.equal(level.connections, 2);
    assert.throws(
      () => parseLevel({ name: "bad", operations: 10, connections: 0, messagesPerConnection: 1.5, subscribers: 1 }),
      (error: Error & { issues?: Array<{ path?: Array<{ key: unknown }> }> }) => {
        const paths = error.issues!.map((i) => i.path!.map((p) => p.key).join("."));
        assert.deepEqual(paths, ["connections", "messagesPerConnection"]);
        return true;
      },
    );
    assert.throws(
      () => parseLevel({ name: "1st", operations: 1, connections: 1, messagesPerConnection: 1, subscribers: 1 }),
      /starts with a letter/,
    );
  });
});
