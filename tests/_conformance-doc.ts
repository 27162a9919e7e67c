/**
 * docs/conformance.md's generated block: the groups and every case, from the
 * case list in code. `node tests/_conformance-doc.ts --write` refreshes it;
 * `tests/conformance-docs.test.ts` fails when it drifts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { conformanceCasesTable } from "../src/report/conformance-cases-table.ts";
import { refreshBlocks } from "./_readme-blocks.ts";

export const CONFORMANCE_DOC = fileURLToPath(new URL("../docs/conformance.md", import.meta.url));

export const CONFORMANCE_BLOCKS: Record<string, () => string> = { cases: conformanceCasesTable };

if (process.argv.includes("--write") && process.argv[1]?.endsWith("_conformance-doc.ts")) {
  writeFileSync(CONFORMANCE_DOC, refreshBlocks(readFileSync(CONFORMANCE_DOC, "utf8"), CONFORMANCE_BLOCKS, "docs/conformance.md"));
}
