/**
 * `conform()`: runs the chosen conformance cases, one connection each and
 * one after another (as Autobahn does), against a server of the caller's or
 * the reference server started in its own process, and returns the
 * document, validated. A server that cannot be reached, or that refuses the
 * WebSocket handshake, is bad input (one line, RangeError) before any case
 * runs; a stop keeps every case that finished.
 */
import { checkHeader, checkSubprotocol } from "../model/handshake-values.ts";
import { checkTarget } from "../model/loopback-target.ts";
import { type ConformanceReport, createConformanceReport } from "../report/conformance-report.ts";
import {
  type CaseResult,
  CONFORMANCE_SCHEMA_VERSION,
  type ConformanceResult,
  noCounts,
  parseConformance,
  worstVerdict,
} from "../model/conformance-result.ts";
import { inputError } from "../model/input-error.ts";
import type { ServerProcess } from "../model/runtime-contract.ts";
import { VERSION } from "../model/version.ts";
import { CaseConnection, type Target } from "../conformance/case-connection.ts";
import { selectCases, splitPatterns } from "../conformance/case-catalogue.ts";
import { runCase } from "../conformance/case-runner.ts";
import { DIALECTS, type EchoProfile } from "../conformance/echo-dialects.ts";
import type { HostAbilities, Platform } from "./platform.ts";

export type ConformOptions = {
  platform: Platform;
  /** ws:// or wss:// URL of the server under test; the reference server when absent */
  target?: string;
  /** --cases patterns: `1.*`, `6.4.*`, `7.7.1`, `*`; the default set (all but 9, 12, 13) when empty */
  cases?: readonly string[];
  /** how the server sends messages back: `echo` for a target, `wsstress` for the reference server, by default */
  profile?: EchoProfile;
  headers?: Readonly<Record<string, string>>;
  protocols?: readonly string[];
  ca?: string;
  signal?: AbortSignal;
  /** each case's result as it finishes */
  onCase?: (result: CaseResult, index: number, total: number) => void;
  /** the longest the reference server may take to start, and the connection to open, ms */
  timeoutMs?: number;
  /** the least any kill timer waits, ms (0: Autobahn's timers) */
  patienceMs?: number;
};

/** One handshake before the cases: a server that cannot be reached or will not upgrade is the caller's mistake to fix. */
async function probe(platform: Platform, target: Target, timeoutMs: number): Promise<string> {
  const conn = await CaseConnection.open(platform.runtime, target, {
    offers: [],
    closeTimeoutMs: 1000,
    connectTimeoutMs: timeoutMs,
    maxMessageBytes: 1024,
  });
  if (!conn.isOpen) {
    throw inputError(target.url, conn.openError ?? "no WebSocket handshake", "a ws:// or wss:// URL of a running WebSocket server");
  }
  const protocol = conn.handshake?.protocol ?? "";
  conn.sendClose(1000);
  await conn.closed;
  return protocol;
}

export async function runConformance(options: ConformOptions): Promise<ConformanceResult> {
  const { platform } = options;
  const selected = selectCases(options.cases ?? [], "cases");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const patienceMs = options.patienceMs ?? 0;
  const started = new Date();
  let server: ServerProcess | undefined;
  if (options.target === undefined) server = await platform.startServer({ perMessageDeflate: true, timeoutMs });
  const url = options.target ?? server!.url;
  const profile = options.profile ?? (options.target === undefined ? "wsstress" : "echo");
  const target: Target = { url, headers: options.headers, protocols: options.protocols, ca: options.ca };
  const cases: CaseResult[] = [];
  try {
    const subprotocol = await probe(platform, target, timeoutMs);
    for (const [index, definition] of selected.entries()) {
      if (options.signal?.aborted) break;
      const result = await runCase(definition, {
        runtime: platform.runtime,
        target,
        dialect: DIALECTS[profile],
        connectTimeoutMs: timeoutMs,
        patienceMs,
      });
      cases.push(result);
      options.onCase?.(result, index, selected.length);
    }
    const finished = new Date();
    const counts = noCounts();
    for (const c of cases) counts[c.verdict]++;
    return parseConformance(
      {
        kind: "conformance",
        schemaVersion: CONFORMANCE_SCHEMA_VERSION,
        tool: { name: "wsstress", version: VERSION },
        runtime: { name: platform.runtime.name, version: platform.runtime.version },
        machine: platform.machine(),
        target: { url, embedded: server !== undefined, runtime: server?.runtime ?? "external", profile, subprotocol },
        selection: [...(options.cases ?? [])],
        patienceMs,
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        status: cases.length < selected.length ? "aborted" : "complete",
        counts,
        cases,
        verdict: worstVerdict(cases.map((c) => c.verdict)),
      } satisfies ConformanceResult,
    );
  } finally {
    await server?.stop();
  }
}

/** What `conform(target, options)` takes from a caller, checked before anything connects. */
export type ConformInput = {
  /** case ids and patterns, as an array or comma-separated: `"1.*,5.*"`; the default set when absent */
  cases?: string | readonly string[];
  profile?: EchoProfile;
  /** a target outside loopback is refused unless this is true */
  allowRemote?: boolean;
  headers?: Readonly<Record<string, string>>;
  subprotocols?: readonly string[];
  /** PEM text of a CA to trust for wss:// besides the system's */
  ca?: string;
  signal?: AbortSignal;
  onCase?: ConformOptions["onCase"];
  /** the longest a connection may take to open, ms (10,000 by default) */
  timeoutMs?: number;
  /**
   * the least any kill timer waits, ms: 0 (the default) keeps Autobahn's timers, under which a server that
   * takes more than 1 s to fail a connection fails the case; raise it for a server on a busy machine
   */
  patienceMs?: number;
  /** where it runs: this machine's platform by default */
  platform?: Platform;
};

/** A minute: a server that takes longer to fail a connection is not one a user waits for case by case. */
export const MAX_PATIENCE_MS = 60_000;

/** How a caller names each input, for the one-line error on a bad one. */
export type ConformNaming = { target: string; cases: string; profile: string; headers: string; subprotocols: string; patience: string };
const IN_CODE: ConformNaming = {
  target: "conform(target)",
  cases: "conform({ cases })",
  profile: "conform({ profile })",
  headers: "conform({ headers })",
  subprotocols: "conform({ subprotocols })",
  patience: "conform({ patienceMs })",
};

/** `conform()` on `host`'s platform: the SDK's entry gives it this machine's; the CLI its flags' names. */
export function conformOn(host: HostAbilities, naming: ConformNaming = IN_CODE) {
  return async (target?: string, input: ConformInput = {}): Promise<ConformanceReport> => {
    const url = target === undefined ? undefined : checkTarget(target, input.allowRemote ?? false, naming.target);
    const cases = typeof input.cases === "string" ? splitPatterns(input.cases) : [...(input.cases ?? [])];
    selectCases(cases, naming.cases);
    if (input.profile !== undefined && !(input.profile in DIALECTS)) {
      throw inputError(naming.profile, `unknown profile "${input.profile}"`, { names: Object.keys(DIALECTS), given: input.profile });
    }
    for (const [name, value] of Object.entries(input.headers ?? {})) checkHeader(name, value, naming.headers);
    for (const p of input.subprotocols ?? []) checkSubprotocol(p, naming.subprotocols);
    const patience = input.patienceMs;
    if (patience !== undefined && !(Number.isInteger(patience) && patience >= 0 && patience <= MAX_PATIENCE_MS)) {
      throw inputError(
        naming.patience,
        `${String(patience)} is not a whole number of milliseconds from 0 to ${MAX_PATIENCE_MS}`,
        "e.g. 5000",
      );
    }
    const platform = input.platform ?? (await host.platform());
    const result = await runConformance({
      platform,
      target: url,
      cases,
      profile: input.profile,
      headers: input.headers,
      protocols: input.subprotocols,
      ca: input.ca,
      signal: input.signal,
      onCase: input.onCase,
      timeoutMs: input.timeoutMs,
      patienceMs: patience,
    });
    return createConformanceReport(result);
  };
}
