/**
 * Compression suite. Wire: the same echoes of a realistic JSON batch go
 * through a byte-counting proxy twice, once plain and once asking for
 * permessage-deflate; the bytes that crossed the wire are compared with the
 * payload bytes. Handshake bytes are left out. Engine: fflate's deflate on the
 * same payload: savings, MB/s and ops/s.
 */
import type { CountingProxy } from "../model/runtime-contract.ts";
import { runClosedLoop } from "../load/closed-loop.ts";
import type { LoadConnection } from "../load/pool.ts";
import { missing, type Profile } from "../profiles/profile.ts";
import { checkServerGone, openServerPool } from "./_connections.ts";
import type { PhaseWatch } from "./live-tally.ts";
import { tickBatch } from "./_payload.ts";
import { timeEngine } from "./engine-timing.ts";
import type { Suite, SuiteContext } from "./suite.ts";
import { headlineRate, higher, metric, type MetricDeclarations, plain } from "./metric-spec.ts";

/** The metrics this suite emits, by `layer.key`; the catalogue (`metric-catalogue.ts`) joins every suite's. */
const metrics = {
  "engine.savings_pct": headlineRate("fflate savings", "%", higher(90, 70)),
  "engine.mb_per_s": metric("fflate throughput", "MB/s", "higher"),
  "engine.ops_per_s": metric("fflate ops", "ops/s", "higher"),
  "wire.savings_pct": headlineRate("permessage-deflate savings", "%", higher(50, 20)),
  "wire.plain_overhead_pct": metric("framing overhead without deflate", "%", "lower"),
  "wire.negotiated": plain("permessage-deflate negotiated (1 = yes)", ""),
  "wire.round_trips_per_s": metric("compressed round trips", "round trips/s", "higher"),
  "wire.payload_bytes": plain("payload bytes", "B"),
  "wire.wire_bytes": plain("bytes on the wire", "B"),
} satisfies MetricDeclarations;

/**
 * Distinct batches, cycled: with context takeover, one payload sent over and
 * over would compress to a back-reference and flatter deflate. 16 × 2.8 KB
 * also overflows deflate's 32 KB window, as a real stream would.
 */
const BATCHES = Array.from({ length: 16 }, (_, i) => tickBatch(24, i + 1));
const MAX_CONNECTIONS = 16;

type Phase = {
  wireBytes: number;
  payloadBytes: number;
  opened: number;
  negotiated: boolean;
  completed: number;
  startedMs: number;
  endedMs: number;
};

async function phase(
  ctx: SuiteContext,
  proxy: CountingProxy,
  deflate: boolean,
  connections: number,
  perConnection: number,
  watch: PhaseWatch,
): Promise<Phase> {
  const pool = await openServerPool(ctx, connections, { url: proxy.url, perMessageDeflate: deflate });
  try {
    proxy.reset();
    let payloadBytes = 0;
    /** the length of the frame each connection has in flight (one at a time): its echo comes back as long */
    const inFlight = new Map<LoadConnection, number>();
    const outcome = await runClosedLoop(pool.connections, {
      perConnection,
      window: 1,
      stallMs: ctx.plan.timeoutMs,
      signal: ctx.signal,
      errors: ctx.record.errors,
      watch,
      request: (conn, step) => {
        const frame = conn.session.echo!(step, BATCHES[step % BATCHES.length]);
        payloadBytes += frame.length;
        inFlight.set(conn, frame.length);
        return frame;
      },
      reply(conn, _step, reply) {
        if (reply.op !== "echo") return ctx.record.errors.add("bad_reply", `expected an echo, got ${reply.op}`);
        // the echo carries the same payload back; its frame is the request's length
        payloadBytes += inFlight.get(conn) ?? 0;
      },
    });
    const bytes = proxy.bytes();
    const negotiated = pool.connections.some((c) => c.socket.extensions.includes("permessage-deflate"));
    checkServerGone(ctx, pool);
    const { completed, startedMs, endedMs } = outcome;
    const opened = pool.connections.length;
    return { wireBytes: bytes.toServer + bytes.toClient, payloadBytes, opened, negotiated, completed, startedMs, endedMs };
  } finally {
    await pool.close(ctx.plan.timeoutMs);
  }
}

async function wire(ctx: SuiteContext): Promise<void> {
  const { level, record } = ctx;
  const messages = Math.max(10, Math.min(2_000, Math.floor(level.operations / 100)));
  const connections = Math.min(MAX_CONNECTIONS, level.connections);
  const perConnection = Math.ceil(messages / connections);
  const planned = connections * perConnection;
  const canDeflate = ctx.runtime.clientPerMessageDeflate && ctx.serverDeflate;
  const proxy = tallied(ctx, await ctx.countingProxy(ctx.share.urls[0]));
  // progress counts the round trips of both phases as one, as the share answered does
  const answered = record.live.answered(canDeflate ? 2 * planned : planned);
  try {
    const plain = await phase(ctx, proxy, false, connections, perConnection, answered);
    record.value("wire", "plain_overhead_pct", (plain.wireBytes / plain.payloadBytes - 1) * 100);
    if (!canDeflate) {
      const who = [!ctx.runtime.clientPerMessageDeflate && `the ${ctx.runtime.name} client`, !ctx.serverDeflate && "the server"].filter(
        Boolean,
      ).join(" and ");
      record.note(`permessage-deflate not measured on the wire: ${who} cannot negotiate it`);
      record.answered(plain.completed, planned);
      return;
    }
    const afterPlain: PhaseWatch = (done, latency) => answered(() => plain.completed + done(), latency);
    const deflated = await phase(ctx, proxy, true, connections, perConnection, afterPlain);
    record.answered(plain.completed + deflated.completed, 2 * planned);
    // with no connection open, whether deflate would have been negotiated is unknown
    if (deflated.opened > 0) record.value("wire", "negotiated", deflated.negotiated ? 1 : 0);
    if (deflated.opened > 0 && !deflated.negotiated) record.note("permessage-deflate was offered but the handshake did not accept it");
    record.count("wire", "payload_bytes", deflated.payloadBytes, deflated.completed);
    record.count("wire", "wire_bytes", deflated.wireBytes, deflated.completed);
    record.value("wire", "savings_pct", (1 - deflated.wireBytes / deflated.payloadBytes) * 100);
    record.rate("wire", "round_trips_per_s", deflated.completed, deflated.startedMs, deflated.endedMs);
  } finally {
    await proxy.close();
  }
}

/** The proxy, its bytes counted in the suite's progress across its resets (one per phase). */
function tallied(ctx: SuiteContext, proxy: CountingProxy): CountingProxy {
  let carried = 0;
  const now = (): number => {
    const b = proxy.bytes();
    return b.toServer + b.toClient;
  };
  ctx.record.live.bytes(() => carried + now());
  return {
    url: proxy.url,
    bytes: () => proxy.bytes(),
    reset() {
      carried += now();
      proxy.reset();
    },
    close: () => proxy.close(),
  };
}

async function engine(ctx: SuiteContext): Promise<void> {
  // imported here, not at the top: fflate's Node build loads node:module and worker_threads, and importing wsstress loads no runtime module
  const { deflateSync } = await import("fflate");
  const bytes = new TextEncoder().encode(BATCHES[0]);
  const compressed = deflateSync(bytes).length;
  const timing = await timeEngine(() => deflateSync(bytes));
  ctx.record.value("engine", "savings_pct", (1 - compressed / bytes.length) * 100);
  ctx.record.value("engine", "mb_per_s", (timing.opsPerSec * bytes.length) / 1e6);
  ctx.record.value("engine", "ops_per_s", timing.opsPerSec);
}

function unsupported(profile: Profile, _connection: unknown, target: string | undefined): string | undefined {
  const lacking = missing(profile, ["echo"]);
  if (lacking) return lacking;
  // the payload must come back for the bytes to be counted both ways
  if (profile.echoWithoutPayload) return `the ${profile.name} profile's echo reply carries no payload back: ${profile.echoWithoutPayload}`;
  if (target?.startsWith("wss:")) return "wire bytes are counted through a plain-TCP proxy, which cannot stand in front of a wss:// target";
  return undefined;
}

export const compressionSuite: Suite = {
  name: "compression",
  shardable: false,
  // the proxy counts bytes on plain TCP: in front of TLS it would hold no certificate for the target's name
  unsupported,
  description: "bytes on the wire vs payload with permessage-deflate, through a counting proxy; fflate savings %, MB/s, ops/s",
  answered: "round trips answered",
  wire,
  engine,
  metrics,
};
