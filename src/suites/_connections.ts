/** Opening and closing the pool a suite runs on, with its failures counted in the suite's errors. */
import { openPool, type Pool } from "../load/pool.ts";
import type { SuiteContext } from "./suite.ts";

/** handshakes in flight at once: enough to keep loopback busy, few enough not to overflow a listen backlog */
export const HANDSHAKE_CONCURRENCY = 64;

export function openSuitePool(ctx: SuiteContext, count: number, perMessageDeflate = false): Promise<Pool> {
  return openPool(ctx.runtime, ctx.url, count, {
    concurrency: HANDSHAKE_CONCURRENCY,
    timeoutMs: ctx.plan.timeoutMs,
    signal: ctx.signal,
    errors: ctx.record.errors,
    perMessageDeflate,
  });
}

/** Runs `body` on a freshly opened pool and always closes it, even when `body` throws. */
export async function withPool<T>(
  ctx: SuiteContext,
  count: number,
  body: (pool: Pool) => Promise<T>,
  perMessageDeflate = false,
): Promise<T> {
  const pool = await openSuitePool(ctx, count, perMessageDeflate);
  try {
    return await body(pool);
  } finally {
    await pool.close(ctx.plan.timeoutMs);
  }
}

/** Connections that completed nothing although the level asked them to: a server cannot hide them behind good totals. */
export function starved(perConnection: Uint32Array): number {
  let n = 0;
  for (const done of perConnection) if (done === 0) n++;
  return n;
}
