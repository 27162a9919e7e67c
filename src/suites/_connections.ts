/** Opening and closing the pools a suite runs on, with failures counted in the suite's errors. */
import { connectOptionsOf } from "../profiles/connection-settings.ts";
import { openPool, type Pool, type PoolOptions } from "../load/pool.ts";
import { type VuConnector, vuConnector } from "../load/vu-connector.ts";
import { type SuiteContext, urlOf } from "./suite.ts";
import { OPENING } from "./live-tally.ts";

/** handshakes in flight at once: enough to keep loopback busy, few enough not to overflow a listen backlog */
export const HANDSHAKE_CONCURRENCY = 64;

/** The token connection `index` authenticates with while it opens; none when absent. */
export type TokenOf = (index: number) => string | undefined;

/** Opens this share's connections of the level, spread over the level's servers; their opening is the suite's first phase. */
export function openSharePool(ctx: SuiteContext, tokenOf?: TokenOf): Promise<Pool> {
  const options = { ...poolOptions(ctx, false, tokenOf, ctx.share.count), first: ctx.share.first };
  return openPool(ctx.runtime, (i) => urlOf(ctx.share, i), ctx.share.count, options);
}

export type ServerPoolOptions = {
  /** the first server's when absent */
  url?: string;
  perMessageDeflate?: boolean;
  tokenOf?: TokenOf;
  /** whether their opening is a phase of the suite's progress (the subscribers of broadcast, not its one publisher) */
  tracked?: boolean;
};

/** Opens `count` connections to the first server: for suites whose connections must share one channel table. */
export function openServerPool(ctx: SuiteContext, count: number, options: ServerPoolOptions = {}): Promise<Pool> {
  const { url = ctx.share.urls[0], perMessageDeflate = false, tokenOf, tracked = false } = options;
  return openPool(ctx.runtime, url, count, poolOptions(ctx, perMessageDeflate, tokenOf, tracked ? count : undefined));
}

/** One connection to each of the share's servers: an observer wherever this share's connections go. */
export function openEachServerPool(ctx: SuiteContext, tokenOf?: TokenOf): Promise<Pool> {
  const urls = [...new Set(ctx.share.urls)];
  return openPool(ctx.runtime, (i) => urls[i], urls.length, poolOptions(ctx, false, tokenOf));
}

/**
 * What every pool a suite opens shares: its bounds, its error tally, the
 * profile and the caller's handshake settings; its open sockets count in the
 * suite's progress, and with `tracked` (the connections planned) so does its
 * opening.
 */
function poolOptions(ctx: SuiteContext, perMessageDeflate: boolean, tokenOf: TokenOf | undefined, tracked?: number): PoolOptions {
  const { query, auth } = ctx.connection;
  const live = ctx.record.live;
  const opening = tracked === undefined ? undefined : live.phase(OPENING, tracked);
  return {
    watch: (opened, open, handshakes) => {
      live.sockets(open);
      opening?.(opened, handshakes);
    },
    concurrency: HANDSHAKE_CONCURRENCY,
    timeoutMs: ctx.plan.timeoutMs,
    signal: ctx.signal,
    errors: ctx.record.errors,
    profile: ctx.profile,
    ...connectOptionsOf(ctx.connection, ctx.profile),
    ...(query ? { query } : {}),
    ...(auth ? { auth } : {}),
    ...(tokenOf ? { tokenOf } : {}),
    perMessageDeflate,
  };
}

/** Runs `body` on a pool and always closes it, even when `body` throws; see `checkServerGone`. */
export async function withPool<T>(ctx: SuiteContext, open: Promise<Pool>, body: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = await open;
  try {
    const result = await body(pool);
    checkServerGone(ctx, pool);
    return result;
  } finally {
    await pool.close(ctx.plan.timeoutMs);
  }
}

/** A pool whose every connection the server closed before the suite was done with it: the server is gone, and the suite fails. */
export function checkServerGone(ctx: SuiteContext, pool: Pool): void {
  const n = pool.connections.length;
  if (n === 0 || ctx.signal.aborted || pool.connections.some((c) => c.open)) return;
  ctx.record.fail(`the server closed ${n === 1 ? "the only connection" : `all ${n} connections`} before the suite finished`);
}

/** Connections that completed nothing although the level asked them to: a server cannot hide them behind good totals. */
export function starved(perConnection: Uint32Array): number {
  let n = 0;
  for (const done of perConnection) if (done === 0) n++;
  return n;
}

/**
 * Connections of this share opened one at a time, as virtual users arrive;
 * spread over the level's servers like a pool's, their open sockets counted in the progress.
 */
export function openShareConnector(ctx: SuiteContext, tokenOf?: TokenOf): VuConnector {
  return vuConnector(ctx.runtime, (i) => urlOf(ctx.share, i), poolOptions(ctx, false, tokenOf));
}
