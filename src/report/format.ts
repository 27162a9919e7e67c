/**
 * @module
 * Number, unit and verdict formatting shared by every renderer, so a figure
 * reads the same in the terminal, in markdown and in a recommendation.
 * Deterministic on purpose: no `toLocaleString`, whose output depends on the
 * runtime's ICU data and locale.
 *
 * @example
 * ```ts
 * import { formatValue, mark, ANSI } from "./format.ts";
 * formatValue(48213.7, "round trips/s"); // "48,214 round trips/s"
 * formatValue(97.14, "%");               // "97.1%"
 * mark("warn", ANSI);                    // yellow "⚠️"
 * ```
 */
import type { Threshold, Verdict } from "../model/result.ts";

export const MARKS: Readonly<Record<Verdict, string>> = Object.freeze({ pass: "✅", warn: "⚠️", fail: "❌", none: "·" });

/** How a renderer decorates text: colors in a terminal, nothing elsewhere. */
export type Style = {
  verdict(text: string, verdict: Verdict): string;
  dim(text: string): string;
  bold(text: string): string;
};

export const PLAIN: Style = { verdict: (t) => t, dim: (t) => t, bold: (t) => t };

const SGR: Record<Verdict, string> = { pass: "32", warn: "33", fail: "31", none: "2" };
// close each attribute on its own (39 colour, 22 intensity) so nesting survives
export const ANSI: Style = {
  verdict: (t, v) => (v === "none" ? `\x1b[2m${t}\x1b[22m` : `\x1b[${SGR[v]}m${t}\x1b[39m`),
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
  bold: (t) => `\x1b[1m${t}\x1b[22m`,
};

/** ✅ ⚠️ ❌ or · for a metric without threshold. */
export function mark(verdict: Verdict, style: Style = PLAIN): string {
  return style.verdict(MARKS[verdict], verdict);
}

/**
 * Thousands separators and a precision that suits the magnitude:
 * integers and values ≥ 1,000 whole, ≥ 10 one decimal, ≥ 1 two decimals,
 * smaller fractions three significant digits.
 */
export function formatNumber(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(decimals ?? autoDecimals(value));
  const [int, frac] = fixed.split(".");
  const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac ? `.${frac}` : "");
}

function autoDecimals(value: number): number {
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 1000) return 0;
  if (abs >= 10) return 1;
  if (abs >= 1) return 2;
  return Math.min(6, 2 - Math.floor(Math.log10(abs)));
}

/** The number and the unit apart, for tables that put the unit in its own column. */
export function formatParts(value: number, unit: string): { number: string; unit: string } {
  if (unit === "B") {
    const [number, u] = formatBytes(value).split(" ");
    return { number, unit: u };
  }
  if (unit === "%") return { number: formatNumber(value, 1), unit };
  return { number: formatNumber(value), unit };
}

/** `48,214 round trips/s`, `97.1%`, `4.2 KiB`, or a bare count when the unit is empty. */
export function formatValue(value: number, unit: string): string {
  const parts = formatParts(value, unit);
  if (!parts.unit) return parts.number;
  return parts.unit === "%" ? `${parts.number}%` : `${parts.number} ${parts.unit}`;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < BYTE_UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  return `${formatNumber(value, i === 0 ? 0 : 1)} ${BYTE_UNITS[i]}`;
}

/** `850 ms`, `12.3 s`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${formatNumber(ms, ms < 10 ? 2 : 0)} ms`;
  if (ms < 60_000) return `${formatNumber(ms / 1000, 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/** A degradation percent: `12.3%`, and `-5.0%` when throughput improved. */
export function formatPercent(percent: number): string {
  return `${formatNumber(percent, 1)}%`;
}

/** `> 40,000 / > 15,000` (excellent / good), `< 1` when both edges coincide; the unit, if given, once at the end. */
export function formatThreshold(threshold: Threshold, unit = ""): string {
  const op = threshold.better === "higher" ? ">" : "<";
  const edges = threshold.excellent === threshold.good
    ? `${op} ${formatNumber(threshold.excellent)}`
    : `${op} ${formatNumber(threshold.excellent)} / ${op} ${formatNumber(threshold.good)}`;
  return unit ? `${edges} ${unit}` : edges;
}

/** A single-line excerpt: error messages can carry newlines and stack traces. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
