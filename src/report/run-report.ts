/** What `run()` returns: the result document and its renderings. Rendering never prints. */
import { type HtmlOptions, renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderPrometheus } from "./prometheus.ts";
import type { Result } from "../model/result.ts";
import { renderTerminal } from "./terminal.ts";

export type Report = {
  /** the result document, valid against the schema */
  readonly json: Result;
  markdown(): string;
  /** one self-contained HTML page with charts; `level` picks the distributions shown first */
  html(options?: HtmlOptions): string;
  /** the figures in Prometheus text exposition format */
  prometheus(): string;
  /** the color-coded tables, summary, degradation analysis and recommendations */
  terminal(options?: { color?: boolean }): string;
};

export function createReport(result: Result): Report {
  return {
    json: result,
    markdown: () => renderMarkdown(result),
    html: (options) => renderHtml(result, options),
    prometheus: () => renderPrometheus(result),
    terminal: (options = {}) => renderTerminal(result, { color: options.color ?? false }),
  };
}
