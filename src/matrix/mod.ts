/**
 * @module
 * The runtime matrix: the same plan on every server × client pairing of
 * Node, Deno and Bun, side by side. Runtime-free; the processes are started
 * by `src/adapters/matrix-platform.ts`.
 *
 * @example
 * ```ts
 * import { stress } from "../../mod.ts";
 * const report = await stress().level("light").suite("message").runtimes({ clients: ["bun"] }).run();
 * console.log(report.terminal());
 * ```
 */
export { MatrixBuilder, DEFAULT_ROUNDS, type MatrixSettings, type RuntimeChoice } from "./builder.ts";
export { compareCells, isTie, median, ratio, summarize, TIE_RULE, type Better, type Comparison } from "./compare.ts";
export type { ClientEvent, MatrixPlatform, MatrixProgressEvent, MatrixProgressListener, PairingOutcome, RuntimeExecutable } from "./platform.ts";
export { createMatrixReport, type MatrixReport } from "./report.ts";
export { renderMatrixHtml } from "./html.ts";
export { renderMatrixMarkdown, renderMatrixTerminal } from "./render.ts";
export { pairingId, runMatrix } from "./run.ts";
export * from "./schema.ts";
