/** What `run()` returns: the result document and its renderings. Rendering never prints. */
import { renderMarkdown } from "./markdown.ts";
import type { Result } from "./schema.ts";
import { renderTerminal } from "./terminal.ts";

export type Report = {
  /** the result document, valid against the schema */
  readonly json: Result;
  markdown(): string;
  /** the color-coded tables, summary, degradation analysis and recommendations */
  terminal(options?: { color?: boolean }): string;
};

export function createReport(result: Result): Report {
  return {
    json: result,
    markdown: () => renderMarkdown(result),
    terminal: (options = {}) => renderTerminal(result, { color: options.color ?? false }),
  };
}
