/** What `conform()` returns: the conformance document and its renderings. Rendering never prints. */
import type { ConformanceResult } from "../model/conformance-result.ts";
import { renderConformanceHtml } from "./conformance-html.ts";
import { renderConformanceMarkdown } from "./conformance-markdown.ts";
import { renderConformanceText } from "./conformance-text.ts";

export type ConformanceReport = {
  /** the conformance document, valid against its schema */
  readonly json: ConformanceResult;
  /** the verdicts by group, every case that is not OK, and the frames of each FAILED or NON-STRICT one */
  terminal(options?: { color?: boolean }): string;
  markdown(): string;
  /** one self-contained page: the summary grid and every case that is not OK */
  html(): string;
};

export function createConformanceReport(result: ConformanceResult): ConformanceReport {
  return {
    json: result,
    terminal: (options = {}) => renderConformanceText(result, { color: options.color ?? false }),
    markdown: () => renderConformanceMarkdown(result),
    html: () => renderConformanceHtml(result),
  };
}
