/**
 * @module
 * One call of the noise rule in words, as the comparison and the matrix
 * renderers show it: the change, its confidence interval, the p-value and
 * how the noise was known.
 *
 * @example
 * ```ts
 * import { changeText, intervalText, pText } from "./difference-text.ts";
 * changeText(call);   // "-20.3%"
 * intervalText(call); // "-22.5% … -17.2%"
 * pText(call);        // "0.029"
 * ```
 */
import type { DifferenceCall } from "../model/difference-call.ts";
import { formatNumber } from "./format.ts";

export function signedPercent(percent: number): string {
  const digits = Math.abs(percent) >= 100 ? 0 : 1;
  const text = formatNumber(percent, digits);
  return `${percent > 0 && text !== formatNumber(0, digits) ? "+" : ""}${text}%`;
}

/** `+12.3%`; `from 0` for a change from a zero baseline. */
export function changeText(call: DifferenceCall): string {
  return call.changePercent === null ? "from 0" : signedPercent(call.changePercent);
}

/** `-22.5% … -17.2%`, or `—` when the runs give none. */
export function intervalText(call: DifferenceCall): string {
  return call.interval === null ? "—" : `${signedPercent(call.interval[0])} … ${signedPercent(call.interval[1])}`;
}

/** The run-to-run spread the call had to beat: `±4%` measured over the runs, `~±20%` the default model's; `—` for none. */
export function spreadText(call: DifferenceCall): string {
  if (call.noisePercent === null) return "—";
  return `${call.method === "noise-model" ? "~" : ""}±${formatNumber(call.noisePercent, call.noisePercent >= 10 ? 0 : 1)}%`;
}

/** `0.029`, `<0.001`, or `—`. */
export function pText(call: DifferenceCall): string {
  if (call.pValue === null || call.method === "faults") return "—";
  return call.pValue < 0.001 ? "<0.001" : formatNumber(call.pValue, 3);
}
