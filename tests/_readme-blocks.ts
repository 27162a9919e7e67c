/**
 * The README's generated blocks: the CLI's --help, the metric catalogue, the
 * fault classes and the result document's fields.
 * `node tests/_readme-blocks.ts --write` refreshes them; the README test
 * fails when they drift from the code.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { helpText } from "../src/cli/run-command.ts";
import { faultsTable } from "../src/report/faults-table.ts";
import { metricsTable } from "../src/report/metrics-table.ts";
import { schemaTable } from "./_schema-table.ts";
import { VERSION } from "../src/model/version.ts";

export const README = fileURLToPath(new URL("../README.md", import.meta.url));

export const BLOCKS: Record<string, () => string> = {
  help: () => "```text\n" + helpText(VERSION) + "\n```",
  metrics: () => metricsTable(),
  faults: () => faultsTable(),
  schema: () => schemaTable(),
};

const markers = (name: string): [string, string] => [`<!-- ${name}:start (generated) -->`, `<!-- ${name}:end -->`];

/** The text between a block's markers, or undefined when the markers are missing. */
export function readBlock(readme: string, name: string): string | undefined {
  const [start, end] = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  return from < 0 || to < from ? undefined : readme.slice(from + start.length, to).trim();
}

/** `text` with every block of `blocks` rendered anew between its markers; `file` names it when a block's markers are missing. */
export function refreshBlocks(text: string, blocks: Record<string, () => string>, file: string): string {
  let out = text;
  for (const [name, render] of Object.entries(blocks)) {
    const [start, end] = markers(name);
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${file} lacks the ${start} … ${end} markers`);
    out = out.slice(0, from + start.length) + "\n" + render() + "\n" + out.slice(to);
  }
  return out;
}

export const refresh = (readme: string): string => refreshBlocks(readme, BLOCKS, "README.md");

// only when run itself: another generator that imports this one must not rewrite the README too
if (process.argv.includes("--write") && process.argv[1]?.endsWith("_readme-blocks.ts")) writeFileSync(README, refresh(readFileSync(README, "utf8")));
