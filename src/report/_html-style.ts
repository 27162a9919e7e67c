/**
 * The HTML report's stylesheet and its one script, inlined into the page so
 * the file needs nothing else. The script only swaps which level's
 * distributions show; without it the chosen level still shows.
 */
import { VERDICT_COLORS } from "./_svg.ts";

export const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1320px; padding: 24px 28px 64px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
.levels { margin: 0 0 14px; color: var(--muted); }
.intro, .note, .empty { color: var(--muted); margin: 4px 0 12px; }
.mark { font-family: "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", system-ui, sans-serif; }
.v-pass { color: ${VERDICT_COLORS.pass}; } .v-warn { color: ${VERDICT_COLORS.warn}; } .v-fail { color: ${VERDICT_COLORS.fail}; }
.verdict { font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.info th { color: var(--muted); font-weight: 500; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 16px; }
figure.chart-box { margin: 0; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
figure.chart-box[hidden] { display: none; }
figure[data-chart="degradation"] { grid-column: 1 / -1; max-width: 900px; }
figcaption { margin-bottom: 4px; }
.unit { color: var(--muted); font-size: 12px; margin-left: 4px; }
svg.chart { display: block; width: 100%; height: auto; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg text.value { fill: var(--fg); font-weight: 600; }
svg text.row-label { fill: var(--fg); }
svg text.marker-label { font-weight: 600; }
svg .grid { stroke: #eaeef2; }
svg .axis { stroke: var(--muted); }
svg .band { stroke: var(--muted); stroke-dasharray: 4 3; }
svg .line { fill: none; stroke-width: 2; }
svg .point { stroke-width: 1.5; }
svg.distribution-chart .bar { fill: #54aeff; }
svg .marker { stroke-width: 1.5; stroke-dasharray: 3 2; }
.legend { list-style: none; display: flex; gap: 14px; padding: 0; margin: 4px 0; font-size: 12px; color: var(--muted); }
.swatch { display: inline-block; width: 14px; height: 3px; margin-right: 5px; vertical-align: middle; }
table.chart-data { font-size: 12px; margin: 4px 0 0; }
table.chart-data td { text-align: right; }
.picker { margin-left: 8px; color: var(--fg); }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; font-size: 15px; }
ul.recs li { margin: 4px 0; }
@media print { figure.chart-box { break-inside: avoid; } }
`;

/** Shows the distributions of the level picked; each figure says its level in `data-level`. */
export const SCRIPT = `
const picker = document.getElementById("distribution-level");
if (picker) picker.addEventListener("change", () => {
  for (const f of document.querySelectorAll('figure[data-chart="distribution"]')) f.hidden = f.dataset.level !== picker.value;
});
`;
