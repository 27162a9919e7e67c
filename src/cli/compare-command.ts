/**
 * `wsstress compare BASELINE.json CURRENT.json`, or several runs of each,
 * `wsstress compare B1.json B2.json … -- C1.json C2.json …`: every metric the
 * two sides hold, its change with a confidence interval, and a call by the
 * noise rule (improved, same, regressed), for CI gates: exit 1 when anything
 * regressed, 2 when a file is missing, cut short or invalid (the error
 * names the file and the path in it) or the results have nothing in common.
 */
import { compareResults } from "../analysis/baseline-comparison.ts";
import { ASSUMED_ENGINE_NOISE_PERCENT, ASSUMED_NOISE_PERCENT, ASSUMED_TAIL_NOISE_PERCENT, CONFIDENCE } from "../analysis/noise-rule.ts";
import { checkNamedMetrics, DEFAULT_TOLERANCE_PERCENT, tolerancesFrom } from "../analysis/tolerances.ts";
import { METRICS } from "../suites/metric-catalogue.ts";
import { renderComparisonMarkdown, renderComparisonText } from "../report/comparison-render.ts";
import { renderComparisonHtml } from "../report/comparison-html.ts";
import { ANSI, PLAIN } from "../report/format.ts";
import { VERSION } from "../model/version.ts";
import { type AnyDocument, readDocument } from "./_read.ts";
import { compareConformance } from "../analysis/conformance-comparison.ts";
import type { ConformanceResult } from "../model/conformance-result.ts";
import type { Result } from "../model/result.ts";
import { renderConformanceComparisonMarkdown, renderConformanceComparisonText } from "../report/conformance-comparison-render.ts";
import { UsageError } from "./errors.ts";
import { type Flag, flagRows, HELP_FLAG, NO_COLOR_FLAG, parseFlags, wantsColor } from "./_subcommand.ts";
import { inputError } from "../model/input-error.ts";
import { checkOutputPaths, realTarget } from "./output-paths.ts";
import { writeOutputFiles } from "./write-whole.ts";

const FLAGS = {
  tolerance: {
    type: "string",
    multiple: true,
    value: "P",
    help: `the smallest change worth a call: P for every metric (default ${DEFAULT_TOLERANCE_PERCENT}%), ` +
      "or METRIC=P for one, e.g. message.wire.rtt_p99_ms=15% (repeatable)",
  },
  markdown: { type: "string", value: "FILE", help: "write the comparison as markdown to FILE (e.g. for a pull-request comment)" },
  json: { type: "string", value: "FILE", help: "write the comparison document (validated against its schema) to FILE" },
  html: {
    type: "string",
    value: "FILE",
    help: "write the comparison as one self-contained HTML page, an interval chart per metric, to FILE",
  },
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function compareHelp(): string {
  return [
    `wsstress ${VERSION} compare: runs against a baseline, metric by metric, called beyond the noise`,
    "",
    "Usage: wsstress compare BASELINE.json CURRENT.json [--tolerance 10%] [--markdown FILE] [--html FILE] [--json FILE]",
    "       wsstress compare B1.json B2.json B3.json B4.json -- C1.json C2.json C3.json C4.json",
    "",
    "For every metric both sides hold (same level, suite, layer and key): the figures, the",
    `change and its ${CONFIDENCE * 100} % confidence interval, and a call. improved or regressed means the whole`,
    "interval lies beyond the tolerance in the better or the worse direction (higher or lower is",
    "better, as the metric says); otherwise it is the same. With 4 or more runs of each (or 3",
    "against 5), the interval is the Mann–Whitney U test's over them: the spread of these very",
    `runs. With fewer, a stated default noise model stands in (each run taken to vary ±${ASSUMED_NOISE_PERCENT} %, a`,
    `p95 or deeper ±${ASSUMED_TAIL_NOISE_PERCENT} %, an engine-layer figure ±${ASSUMED_ENGINE_NOISE_PERCENT} %, ` +
    "a percentile also by its histogram's",
    "sampling spread), and the output says what it cannot know.",
    "A max or a min (one sample) and the generator's own send lag (the load's figure, not the",
    "server's) are shown but never called unless a tolerance names them; a count of faults",
    "regresses on any rise from none. Latency percentiles are recomputed from the histograms.",
    "Run the baseline and the current runs interleaved (B C B C …) so a busy minute hits both.",
    "",
    "Two conformance documents (wsstress conform --json) compare case by case: every",
    "case whose verdict moved (worse: to a more severe one, from OK through",
    "INFORMATIONAL, UNIMPLEMENTED and NON-STRICT to FAILED), and every case only one ran.",
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 nothing regressed, 1 a metric regressed (or a case got worse), 2 bad input (a missing,",
    "cut-short or invalid file, a file given twice, results with no metric in common, a bad flag, an",
    "output that is an input or another output).",
  ].join("\n");
}

const USAGE = "BASELINE.json CURRENT.json, or B1.json … -- C1.json …";

/** The files on each side: two without `--`, or any number on each side of it. */
export function compareFiles(argv: readonly string[], given: readonly string[]): { baselines: string[]; currents: string[] } {
  const split = argv.indexOf("--");
  if (split === -1) {
    if (given.length === 2) return { baselines: [given[0]], currents: [given[1]] };
    const problem = given.length < 2
      ? `missing ${given.length === 0 ? "BASELINE.json and CURRENT.json" : "CURRENT.json"}`
      : `${given.length} files and no -- between the baselines and the current runs`;
    throw inputError("wsstress compare", problem, USAGE);
  }
  // flags may sit on either side of --: only the files count
  const before = parseFlags("compare", argv.slice(0, split), FLAGS).positionals.length;
  const [baselines, currents] = [given.slice(0, before), given.slice(before)];
  if (baselines.length === 0 || currents.length === 0) {
    throw inputError("wsstress compare", `no ${baselines.length === 0 ? "baseline" : "current"} file on its side of --`, USAGE);
  }
  const seen = new Map<string, string>();
  for (const file of [...baselines, ...currents]) {
    const real = realTarget(file);
    if (seen.has(real)) {
      throw inputError(
        "wsstress compare",
        `${file} is given twice${seen.get(real) !== file ? ` (as ${seen.get(real)})` : ""}`,
        "each run once: a run counted twice would fake its spread",
      );
    }
    seen.set(real, file);
  }
  return { baselines, currents };
}

/** The argv with the lone `--` taken out, so that flags after it parse as flags. */
const withoutSeparator = (argv: readonly string[]): string[] => argv.filter((a, i) => a !== "--" || i !== argv.indexOf("--"));

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: given } = parseFlags("compare", withoutSeparator(argv), FLAGS);
  if (values.help) return void console.log(compareHelp()), 0;
  const { baselines, currents } = compareFiles(argv, given);
  const tolerances = tolerancesFrom(values.tolerance ?? []);
  checkNamedMetrics(tolerances, Object.keys(METRICS));
  const inputs = [
    ...baselines.map((file) => ({ role: "the baseline", file })),
    ...currents.map((file) => ({ role: "the current result", file })),
  ];
  checkOutputPaths({ markdown: values.markdown, json: values.json, html: values.html }, inputs);
  const read = async (files: string[]) => {
    const out: AnyDocument[] = [];
    for (const file of files) out.push(await readDocument(file));
    return out;
  };
  const [before, after] = [await read(baselines), await read(currents)];
  const color = wantsColor(values["no-color"]);
  const files = [...baselines, ...currents];
  const all = [...before, ...after];
  if (all.some((d) => d.kind === "conformance")) {
    const what = (d: AnyDocument) => (d.kind === "conformance" ? "a conformance document (wsstress conform)" : "a stress result");
    const other = all.findIndex((d) => d.kind !== "conformance");
    if (other >= 0) {
      const one = all.findIndex((d) => d.kind === "conformance");
      throw new UsageError(
        `cannot compare ${files[one]}, ${what(all[one])}, with ${files[other]}, ${what(all[other])}; allowed: two of the same kind`,
      );
    }
    if (all.length !== 2) throw new UsageError("two conformance documents compare case by case; allowed: BASELINE.json CURRENT.json");
    if (values.tolerance !== undefined || values.html !== undefined) {
      const flag = values.html !== undefined ? "--html" : "--tolerance";
      throw new UsageError(`${flag} applies to stress results; a conformance comparison is case by case`);
    }
    const [baseline, current] = all.map((d) => (d as { conformance: ConformanceResult }).conformance);
    const changes = compareConformance(baseline, current);
    console.log(renderConformanceComparisonText(changes, color ? ANSI : PLAIN));
    writeOutputFiles([
      { flag: "markdown", file: values.markdown, render: () => renderConformanceComparisonMarkdown(changes) },
      { flag: "json", file: values.json, render: () => JSON.stringify(changes, null, 2) + "\n" },
    ]);
    return changes.worse > 0 ? 1 : 0;
  }
  const results = (docs: AnyDocument[]) => docs.map((d) => (d as { result: Result }).result);
  const comparison = compareResults(results(before), results(after), {
    tolerancePercent: tolerances.defaultPercent,
    tolerances: tolerances.perMetric,
    baselineNames: baselines,
    currentNames: currents,
  });
  console.log(renderComparisonText(comparison, color ? ANSI : PLAIN));
  writeOutputFiles([
    { flag: "markdown", file: values.markdown, render: () => renderComparisonMarkdown(comparison) },
    { flag: "json", file: values.json, render: () => JSON.stringify(comparison, null, 2) + "\n" },
    { flag: "html", file: values.html, render: () => renderComparisonHtml(comparison) },
  ]);
  return comparison.regressed > 0 ? 1 : 0;
}
