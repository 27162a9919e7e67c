/**
 * Runs one case on a connection of its own and returns its result: the
 * handshake (deflate offered when the case does), the script, the wait for
 * the connection to end (bounded by the case's limit), and the verdict. The
 * bytes both ways are kept for any case that is not OK.
 */
import type { CaseResult } from "../model/conformance-result.ts";
import type { Runtime } from "../model/runtime-contract.ts";
import { CaseConnection, type Target } from "./case-connection.ts";
import { CaseContext } from "./case-context.ts";
import type { CaseDefinition } from "./case-definition.ts";
import { judgeCase } from "./case-judge.ts";
import { type DeflateEngine, loadDeflateEngine } from "./deflate-extension.ts";
import type { EchoDialect } from "./echo-dialects.ts";

export type CaseRunOptions = {
  runtime: Runtime;
  target: Target;
  dialect: EchoDialect;
  /** the least a kill timer or the close handshake waits, ms (raised under load) */
  patienceMs?: number;
  /** the deflate cases send at most this many messages */
  messageLimit?: number;
  /** the connection never opening within this many ms fails the case */
  connectTimeoutMs?: number;
};

/** The largest message the checker holds: the 16 MiB of 9.1.6, its envelope, and room. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const CLOSE_TIMEOUT_MS = 2000;

let engine: Promise<DeflateEngine> | undefined;

export async function runCase(definition: CaseDefinition, options: CaseRunOptions): Promise<CaseResult> {
  const started = performance.now();
  const patienceMs = options.patienceMs ?? 0;
  const offers = definition.deflate ?? [];
  const conn = await CaseConnection.open(options.runtime, options.target, {
    offers,
    engine: offers.length > 0 ? await (engine ??= loadDeflateEngine()) : undefined,
    closeTimeoutMs: Math.max(CLOSE_TIMEOUT_MS, patienceMs),
    connectTimeoutMs: options.connectTimeoutMs ?? Math.max(10_000, patienceMs),
    maxMessageBytes: MAX_MESSAGE_BYTES,
  });
  const base = { id: definition.id, description: definition.description, expectation: definition.expectation };
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  if (!conn.isOpen) {
    await conn.closed;
    return {
      ...base,
      verdict: "FAILED",
      reason: `the connection did not open: ${conn.openError ?? "unknown"}`,
      durationMs: elapsed(),
      wire: conn.log.final(),
    };
  }
  const ctx = new CaseContext(conn, { dialect: options.dialect, patienceMs, messageLimit: options.messageLimit });
  const negotiated = conn.deflate;
  if (negotiated && !("agreement" in negotiated)) {
    // declined: Autobahn's UNIMPLEMENTED; an answer RFC 7692 forbids: failed (the client fails the connection, §7.1)
    if ("problem" in negotiated) conn.violations.push(`permessage-deflate: ${negotiated.problem}`);
    else ctx.settle("UNIMPLEMENTED", "the server declined permessage-deflate");
    ctx.suppressClose = true;
    ctx.close();
  } else {
    try {
      definition.script(ctx);
    } catch (error) {
      conn.drop(`the case's script failed: ${(error as Error).message}`);
      await conn.closed;
      throw error;
    }
  }
  const limit = Math.max(definition.limitMs ?? 30_000, patienceMs * 3);
  conn.later(limit, () => conn.drop(`the case's limit of ${limit / 1000} s was up`));
  await conn.closed;
  const judged = judgeCase(conn, ctx, definition);
  const compression = definition.deflate && conn.deflate && "agreement" in conn.deflate
    ? { compression: { payloadBytes: conn.traffic.payload, wireBytes: conn.traffic.wire } }
    : {};
  return {
    ...base,
    verdict: judged.verdict,
    reason: judged.reason,
    close: judged.close,
    durationMs: elapsed(),
    ...compression,
    ...(judged.verdict === "OK" ? {} : { wire: conn.log.final() }),
  };
}
