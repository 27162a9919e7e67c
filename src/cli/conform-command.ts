/**
 * `wsstress conform [URL]`: the conformance cases (RFC 6455, RFC 7692,
 * numbered as Autobahn|Testsuite's) against a server, or against the
 * reference server when no URL is given; the terminal report, and JSON,
 * markdown and HTML files when asked. Exit 1 when a case's verdict is at or
 * past --fail-on (FAILED by default), 2 on bad input.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { THIS_MACHINE } from "../host/host-platform.ts";
import { ALL_CASES, CASE_GROUPS, selectCases, splitPatterns } from "../conformance/case-catalogue.ts";
import { DIALECTS, type EchoProfile } from "../conformance/echo-dialects.ts";
import { type ConformanceVerdict, parseConformance } from "../model/conformance-result.ts";
import { inputError } from "../model/input-error.ts";
import { VERSION } from "../model/version.ts";
import { conformOn } from "../run/conformance-run.ts";
import {
  type Flag,
  flagRows,
  HELP_FLAG,
  HTML_FLAG,
  MARKDOWN_FLAG,
  NO_COLOR_FLAG,
  oneOf,
  parseFlags,
  QUIET_FLAG,
  wantsColor,
} from "./_subcommand.ts";
import { UsageError } from "./errors.ts";
import { checkOutputPaths } from "./output-paths.ts";
import { divertedLine, writeOutputFiles } from "./write-whole.ts";

const FAIL_ON = ["failed", "non-strict", "never"] as const;

const FLAGS = {
  cases: {
    type: "string",
    value: "LIST",
    help: "the cases to run: ids and patterns, comma-separated, e.g. 1.*,5.*,7.7.1 or * (default: all but 9, 12 and 13)",
  },
  profile: {
    type: "string",
    value: "P",
    help: "how the server sends messages back: echo (default with a URL) or wsstress (the reference protocol, default without)",
  },
  list: { type: "boolean", help: "print the cases --cases picks, with what each sends and expects, and run none" },
  header: {
    type: "string",
    multiple: true,
    value: "'N: V'",
    help: "add a header to every handshake (repeatable), e.g. 'Authorization: Bearer abc'",
  },
  subprotocol: { type: "string", multiple: true, value: "P", help: "offer this subprotocol on every handshake (repeatable)" },
  ca: { type: "string", value: "FILE", help: "trust the PEM CA certificate in FILE for a wss:// URL" },
  "allow-remote": { type: "boolean", help: "let URL name a host outside loopback" },
  timeout: { type: "string", value: "MS", help: "the longest the server may take to start or a connection to open (default 10000)" },
  patience: {
    type: "string",
    value: "MS",
    help: "the least a case waits for the server to fail a connection (default 0: Autobahn's 1 s); raise it on a busy machine",
  },
  json: { type: "string", value: "FILE", help: "write the conformance document (validated against its schema) to FILE" },
  markdown: MARKDOWN_FLAG,
  html: HTML_FLAG,
  "fail-on": { type: "string", value: "V", help: "exit 1 when a case's verdict is V or worse: failed (default), non-strict or never" },
  quiet: QUIET_FLAG,
  "no-color": NO_COLOR_FLAG,
  help: HELP_FLAG,
} as const satisfies Record<string, Flag>;

export function conformHelp(): string {
  const groups = CASE_GROUPS.map((g) =>
    `  ${g.id.padStart(2)}  ${g.title} (${g.cases.length}${g.optIn ? ", only when --cases names it" : ""})`
  );
  return [
    `wsstress ${VERSION} conform: WebSocket conformance against RFC 6455 and RFC 7692`,
    "",
    "Usage: wsstress conform [URL] [--cases 1.*,5.*] [--json out.json] [--html out.html]",
    "",
    `Runs ${ALL_CASES.length} cases written from the RFCs, numbered as the Autobahn|Testsuite cases`,
    "they correspond to, each on a connection of its own over a raw TCP socket, with",
    "Autobahn's verdicts: OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED. Without",
    "a URL it checks the reference server, started on this runtime. The server must send",
    "messages back: as they came (echo), or as the reference protocol's echo requests.",
    "",
    "Groups:",
    ...groups,
    "",
    "Flags:",
    ...flagRows(FLAGS),
    "",
    "Exit codes: 0 no case at or past --fail-on, 1 a case at or past it, 2 bad input (a bad flag,",
    "a server that cannot be reached or will not upgrade), 130 interrupted (the cases that finished are kept).",
  ].join("\n");
}

const AT_LEAST: Record<(typeof FAIL_ON)[number], readonly ConformanceVerdict[]> = {
  failed: ["FAILED"],
  "non-strict": ["NON-STRICT", "FAILED"],
  never: [],
};

function readCa(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`--ca ${path} cannot be read: ${(error as Error).message}`);
  }
}

function headerOf(raw: string): [string, string] {
  const colon = raw.indexOf(":");
  if (colon <= 0) throw inputError("--header", `"${raw}" is not 'Name: value'`, "'Name: value', e.g. 'Authorization: Bearer abc'");
  return [raw.slice(0, colon).trim(), raw.slice(colon + 1).trim()];
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals: given } = parseFlags("conform", argv, FLAGS);
  if (values.help) return void console.log(conformHelp()), 0;
  if (given.length > 1) throw inputError("wsstress conform", `unexpected argument "${given.slice(1).join(" ")}"`, "at most one URL");
  const cases = splitPatterns(values.cases ?? "");
  if (values.list) {
    for (const c of selectCases(cases, "--cases")) console.log(`${c.id.padEnd(8)} ${c.description}\n${" ".repeat(9)}${c.expectation}`);
    return 0;
  }
  const profile = values.profile === undefined ? undefined : oneOf("profile", values.profile, Object.keys(DIALECTS) as EchoProfile[]);
  const naming = {
    target: "wsstress conform URL",
    cases: "--cases",
    profile: "--profile",
    headers: "--header",
    subprotocols: "--subprotocol",
    patience: "--patience",
  };
  const failOn = oneOf("fail-on", values["fail-on"] ?? "failed", FAIL_ON);
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw inputError("--timeout", `"${values.timeout}" is not a positive integer`, "milliseconds, e.g. 10000");
  }
  if (values.patience !== undefined && !/^\d+$/.test(values.patience)) {
    throw inputError("--patience", `"${values.patience}" is not a whole number of milliseconds`, "0 to 60000, e.g. 5000");
  }
  if (values["allow-remote"] && given.length === 0) {
    throw inputError("--allow-remote", "applies to a URL, and there is none", "--allow-remote with a URL");
  }
  const outputs = { json: values.json, markdown: values.markdown, html: values.html };
  checkOutputPaths(outputs, values.ca === undefined ? [] : [{ role: "--ca", file: values.ca }]);

  const controller = new AbortController();
  let signalExit = 0;
  const onSignal = (signal: "SIGINT" | "SIGTERM"): void => {
    if (signalExit !== 0) process.exit(signalExit);
    signalExit = signal === "SIGTERM" ? 143 : 130;
    console.error(`\n${signal === "SIGTERM" ? "terminated" : "interrupted"}: stopping after the current case (again to quit now)`);
    controller.abort();
  };
  const onInt = (): void => onSignal("SIGINT");
  const onTerm = (): void => onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  try {
    let group = "";
    let done = 0;
    const report = await conformOn(THIS_MACHINE, naming)(given[0], {
      cases,
      profile,
      allowRemote: values["allow-remote"],
      headers: Object.fromEntries((values.header ?? []).map(headerOf)),
      subprotocols: values.subprotocol,
      ...(values.ca !== undefined ? { ca: readCa(values.ca) } : {}),
      timeoutMs,
      ...(values.patience !== undefined ? { patienceMs: Number(values.patience) } : {}),
      signal: controller.signal,
      onCase: (result, index, total) => {
        const id = result.id.split(".")[0];
        if (id !== group && group !== "") console.error(`conform: group ${group} done (${done}/${total} cases)`);
        group = id;
        done = index + 1;
        if (result.verdict === "FAILED") console.error(`conform: ${result.id} FAILED: ${result.reason}`);
        if (done === total) console.error(`conform: group ${group} done (${done}/${total} cases)`);
      },
    });
    const color = wantsColor(values["no-color"]);
    if (!values.quiet) console.log(report.terminal({ color }));
    const aborted = report.json.status === "aborted";
    const diverted = writeOutputFiles([
      { flag: "json", file: outputs.json, render: () => JSON.stringify(parseConformance(report.json), null, 2) + "\n" },
      { flag: "markdown", file: outputs.markdown, render: () => report.markdown() },
      { flag: "html", file: outputs.html, render: () => report.html() },
    ], { aborted });
    for (const d of diverted) console.error(divertedLine(d));
    if (signalExit !== 0) return signalExit;
    return report.json.cases.some((c) => AT_LEAST[failOn].includes(c.verdict)) ? 1 : 0;
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
}
