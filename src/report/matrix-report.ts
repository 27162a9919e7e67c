/** What a matrix `run()` returns: the matrix document and its renderings. Rendering never prints. */
import { renderMatrixHtml } from "./matrix-html.ts";
import { renderMatrixMarkdown, renderMatrixTerminal } from "./matrix-text.ts";
import type { Matrix } from "../model/matrix-document.ts";

export type MatrixReport = {
  /** the matrix document, valid against `MatrixSchema` */
  readonly json: Matrix;
  /** the summary table of every metric across every pairing, then a grid per metric */
  markdown(): string;
  /** a grid per metric (servers down, clients across), then the winners */
  terminal(options?: { color?: boolean }): string;
  /** one self-contained page: the winners, a grid per metric with bars, the side-by-side table */
  html(): string;
};

export function createMatrixReport(matrix: Matrix): MatrixReport {
  return {
    json: matrix,
    markdown: () => renderMatrixMarkdown(matrix),
    terminal: (options = {}) => renderMatrixTerminal(matrix, { color: options.color ?? false }),
    html: () => renderMatrixHtml(matrix),
  };
}
