/**
 * `npm run bench`: figures for the targets that timing assertions must not
 * gate. It prints, it never fails on a number:
 * - histogram memory at 1,000 and 10,000,000 samples;
 * - the harness's own cost: wsstress's message and connection suites against
 *   a bare client loop on the same runtime, the same server, the same window,
 *   interleaved A B B A over rounds, medians and the ratio; with progress
 *   events off (no listener), on (a listener: every suite's counters read
 *   every 500 ms) and with the live dashboard watched (its event stream read
 *   in this process, so the page is drawn at every tick), and what one
 *   progress tick and one dashboard draw cost, timed on the code itself
 *   (`tests/_live-costs.ts`);
 * - Artillery's WebSocket engine against the same server with the same frames
 *   (installed on demand into a scratch folder, `tests/_artillery.ts`;
 *   `BENCH_ARTILLERY=0` skips it), and wsstress's round trips/s as a multiple
 *   of Artillery's messages/s, both at window 1 (one message at a time per
 *   connection, as Artillery's engine sends) and at window 16;
 * - Socket.IO: wsstress's socketio profile against Artillery's Socket.IO engine, the same real socket.io
 *   server (examples/servers/socketio.ts on Node), the same connections and acknowledged emits, one at a
 *   time per connection, interleaved over rounds, medians and the ratio (`BENCH_SIO_CONNECTIONS`, 200 by default;
 *   `BENCH_SIO=0` skips it, `BENCH_SIO_ONLY=1` runs it alone);
 * - a scenario doing the message suite's echo against the message suite itself, same server and load
 *   (`tests/_scenario-bench.ts`; `BENCH_SCENARIO=0` skips it, `BENCH_SCENARIO_ONLY=1` runs it alone);
 * - the noise rule on real runs (`tests/_noise-bench.ts`): how often
 *   `compare` calls unchanged runs, a 2 ms hold and a 20 % slower server,
 *   and whether two matrices of one plan call contradicting winners
 *   (`BENCH_NOISE=0` skips it);
 * - the full sweep (`wsstress --full` on Bun) at window 1 and 16: wall
 *   time, peak total RSS, sockets reached per level, generator-bound marks
 *   and the load average while it ran (`tests/_full-sweep.ts`;
 *   `BENCH_FULL=0` skips it, `BENCH_FULL_WINDOWS` picks the windows).
 *
 * Run with any runtime: `node tests/bench.ts`, `bun tests/bench.ts`, `deno run -A tests/bench.ts`.
 */
import process from "node:process";
import { stress } from "../mod.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { startServerProcess } from "../src/host/server-process.ts";
import { Histogram } from "../src/model/histogram.ts";
import type { Runtime } from "../src/model/runtime-contract.ts";
import { findExecutable } from "../src/host/executables.ts";
import { type Artillery, prepareArtillery } from "./_artillery.ts";
import { fullSweeps } from "./_full-sweep.ts";
import { liveCosts } from "./_live-costs.ts";
import { noiseBench } from "./_noise-bench.ts";
import { scenarioBench } from "./_scenario-bench.ts";
import { spawnServer } from "./_spawn-server.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1_000);
const MESSAGES = 100;
const CONCURRENCY = 64;
/** in flight per connection for the pipelined run (the bare loops reached 100–120K/s at 16) */
const WINDOW = 16;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
/** the message suite's echo frame (`src/suites/message.ts`), id as text so Artillery can template it */
const echoFrame = (id: string): string =>
  `{"op":"echo","id":${id},"p":"wsstress-wsstress-wsstress-wsstress-wsstress-wsstress-wsstress-payload"}`;

function histogramMemory(): void {
  for (const samples of [1_000, 10_000_000]) {
    const h = new Histogram();
    for (let i = 0; i < samples; i++) h.record(1_000 + ((i * 7919) % 10_000_000));
    console.log(
      `histogram after ${fmt(samples)} samples: ${fmt(h.bucketCount * 8)} bytes of buckets, ${
        fmt(JSON.stringify(h.toJSON()).length)
      } bytes as JSON`,
    );
  }
}

/** Opens `n` sockets with CONCURRENCY handshakes in flight; resolves them and the handshakes/s. */
async function bareOpen(runtime: Runtime, url: string, n: number) {
  const sockets: Array<{ socket: ReturnType<Runtime["connect"]>; onMessage: (data: string | Uint8Array) => void }> = [];
  const closes: Array<Promise<void>> = [];
  const t0 = performance.now();
  let next = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const entry = { socket: undefined as unknown as ReturnType<Runtime["connect"]>, onMessage: (_: string | Uint8Array) => {} };
      let closed = (): void => {};
      closes.push(new Promise<void>((done) => (closed = done)));
      entry.socket = runtime.connect(url, {
        onOpen: () => resolve(),
        onMessage: (d) => entry.onMessage(d),
        onClose: () => (resolve(), closed()),
        onError: () => {},
      });
      sockets.push(entry);
    });
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < n) await one();
  }));
  return { sockets, closes, handshakesPerSec: (n / (performance.now() - t0)) * 1000 };
}

/** The bare loop: every socket echoes MESSAGES frames one at a time, nothing recorded but a count. */
async function bareEcho(runtime: Runtime, url: string) {
  const { sockets, closes, handshakesPerSec } = await bareOpen(runtime, url, CONNECTIONS);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let done = 0;
    for (const s of sockets) {
      let sent = 0;
      const send = () => s.socket.send(echoFrame(String(sent++)));
      s.onMessage = () => {
        if (sent < MESSAGES) send();
        if (++done === sockets.length * MESSAGES) resolve();
      };
      send();
    }
  });
  const roundTripsPerSec = ((CONNECTIONS * MESSAGES) / (performance.now() - t0)) * 1000;
  // wait for the closes, as wsstress's pool does, so the next run's handshakes do not compete with them
  for (const s of sockets) s.socket.close();
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([Promise.all(closes), new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
  clearTimeout(timer);
  return { handshakesPerSec, roundTripsPerSec };
}

const LEVEL = {
  name: "bench",
  operations: CONNECTIONS * MESSAGES,
  connections: CONNECTIONS,
  messagesPerConnection: MESSAGES,
  subscribers: 1,
};

type Watching = "off" | "progress" | "dashboard";

/** A browser's share of the dashboard: its event stream read to the end (the run's end closes it); resolves the bytes read. */
async function watchDashboard(url: string): Promise<number> {
  const reader = (await fetch(`${url}events`)).body!.getReader();
  let bytes = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length;
  return bytes;
}

async function harness(url: string, watching: Watching = "off") {
  let builder = stress().level(LEVEL).suite("connection", "message").target(url).warmup(false);
  let streamed: Promise<number> | undefined;
  if (watching !== "off") builder = builder.onProgress((e) => void (e.type === "dashboard" && (streamed = watchDashboard(e.url))));
  if (watching === "dashboard") builder = builder.dashboard({ port: 0 });
  const report = await builder.run();
  if (watching === "dashboard" && !((await streamed!) > 0)) throw new Error("the dashboard streamed nothing");
  const metric = (suite: string, key: string) =>
    report.json.levels[0].suites.find((s) => s.suite === suite)!.metrics.find((m) => m.key === key)!.value;
  return { handshakesPerSec: metric("connection", "handshakes_per_s"), roundTripsPerSec: metric("message", "round_trips_per_s") };
}

/** wsstress with WINDOW messages in flight per connection: what it does when not held to one at a time, as Artillery's engine is */
async function windowed(url: string): Promise<number> {
  const report = await stress().level(LEVEL).suite("message").window(WINDOW).target(url).warmup(false).run();
  return report.json.levels[0].suites[0].metrics.find((m) => m.key === "round_trips_per_s")!.value;
}

const SIO_CONNECTIONS = Number(process.env.BENCH_SIO_CONNECTIONS ?? 200);
/** the message suite's payload (`src/suites/message.ts`): wsstress sends it behind its `id:` stamp */
const SIO_PAYLOAD = "wsstress-".repeat(7) + "payload";

/** wsstress's socketio profile and Artillery's Socket.IO engine, the same socket.io server and load, interleaved. */
async function socketIoBench(artillery: Artillery | { skipped: string }): Promise<void> {
  const script = new URL("../examples/servers/socketio.ts", import.meta.url).pathname;
  const server = await spawnServer(findExecutable("node")!, [script], { env: { PORT: "0" } });
  const connections = SIO_CONNECTIONS;
  const level = { name: "socketio", operations: connections * MESSAGES, connections, messagesPerConnection: MESSAGES, subscribers: 1 };
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const wsstress = async () => {
        const report = await stress().target(server.url).profile("socketio").level(level).suite("message").warmup(false).run();
        const message = report.json.levels[0].suites[0];
        const errors = message.errors.reduce((n, e) => n + e.count, 0);
        if (errors > 0) console.log(`  wsstress socketio: ${errors} errors (${message.errors.map((e) => e.class).join(", ")})`);
        return message.metrics.find((m) => m.key === "round_trips_per_s")!.value;
      };
      const them = () =>
        "run" in artillery ? artillery.socketio(server.url, connections, MESSAGES, "echo", SIO_PAYLOAD) : Promise.resolve(undefined);
      // A B, then B A, so neither always runs on the other's closing sockets
      const [w, a] = round % 2 === 1 ? [await wsstress(), await them()] : await them().then(async (t) => [await wsstress(), t] as const);
      ours.push(w);
      if (a !== undefined) theirs.push(a);
      const theirPart = a === undefined ? "" : ` · artillery socketio ${fmt(a)} acked emits/s`;
      console.log(`socket.io round ${round}: wsstress socketio ${fmt(w)} acked emits/s${theirPart}`);
    }
  } finally {
    await server.stop();
  }
  const load = `${connections} connections × ${MESSAGES} acknowledged emits, one at a time per connection`;
  console.log(`socket.io ${load}, ${ROUNDS} interleaved rounds, medians:`);
  console.log(`  wsstress socketio profile (${(await currentRuntime()).name}): ${fmt(median(ours))} acked emits/s`);
  if ("skipped" in artillery) return console.log(`  artillery socketio: skipped (${artillery.skipped})`);
  console.log(`  artillery 2.0.34 socketio engine (on node): ${fmt(median(theirs))} acked emits/s`);
  console.log(`  wsstress ÷ artillery = ${(median(ours) / median(theirs)).toFixed(1)}×`);
}

/** The harness against a bare loop (progress off, on, the dashboard watched), and Artillery's ws engine, on the reference server. */
async function harnessBench(artillery: Artillery | { skipped: string }): Promise<void> {
  const runtime = await currentRuntime();
  const server = await startServerProcess(runtime.name, { perMessageDeflate: false, timeoutMs: 10_000 });
  try {
    await bareEcho(runtime, server.url); // warm both sides
    const bare = { hs: [] as number[], rt: [] as number[] };
    const ours = { hs: [] as number[], rt: [] as number[] };
    const theirs: number[] = [];
    const pipelined: number[] = [];
    const watched = { progress: [] as number[], dashboard: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
      // A B, then B A: whichever runs second inherits the first one's closing sockets, so neither always does
      const [b, w] = round % 2 === 1
        ? [await bareEcho(runtime, server.url), await harness(server.url)]
        : await harness(server.url).then(async (h) => [await bareEcho(runtime, server.url), h] as const);
      // progress on, then the dashboard, then the other way round: neither always follows the same run
      const order: Watching[] = round % 2 === 1 ? ["progress", "dashboard"] : ["dashboard", "progress"];
      for (const mode of order) watched[mode as "progress" | "dashboard"].push((await harness(server.url, mode)).roundTripsPerSec);
      const p = await windowed(server.url);
      pipelined.push(p);
      const a = "run" in artillery ? await artillery.run(server.url, CONNECTIONS, MESSAGES, echoFrame) : undefined;
      bare.hs.push(b.handshakesPerSec), bare.rt.push(b.roundTripsPerSec);
      ours.hs.push(w.handshakesPerSec), ours.rt.push(w.roundTripsPerSec);
      if (a !== undefined) theirs.push(a);
      const artilleryPart = a === undefined ? "" : ` · artillery ${fmt(a)} messages/s`;
      const live = `with progress ${fmt(watched.progress.at(-1)!)} rt/s, with the dashboard watched ${fmt(watched.dashboard.at(-1)!)} rt/s`;
      const bareWsstress = `bare ${fmt(b.roundTripsPerSec)} rt/s ${fmt(b.handshakesPerSec)} hs/s · ` +
        `wsstress ${fmt(w.roundTripsPerSec)} rt/s ${fmt(w.handshakesPerSec)} hs/s`;
      console.log(`round ${round}: ${bareWsstress} · ${live} · wsstress window ${WINDOW} ${fmt(p)} rt/s${artilleryPart}`);
    }
    console.log(`${runtime.name} ${runtime.version}, ${CONNECTIONS} connections, window 1, ${ROUNDS} interleaved rounds, medians:`);
    const rtRatio = ((median(ours.rt) / median(bare.rt)) * 100).toFixed(1);
    console.log(`  round trips/s: wsstress ${fmt(median(ours.rt))} / bare ${fmt(median(bare.rt))} = ${rtRatio} % (progress events off)`);
    console.log(
      `  handshakes/s:  wsstress ${fmt(median(ours.hs))} / bare ${fmt(median(bare.hs))} = ${
        ((median(ours.hs) / median(bare.hs)) * 100).toFixed(1)
      } %`,
    );
    const off = median(ours.rt);
    for (const [mode, label] of [["progress", "progress events on"], ["dashboard", "dashboard watched"]] as const) {
      const on = median(watched[mode]);
      const cost = ((off - on) / off) * 100;
      const target = mode === "dashboard" ? " (target: under 2 %)" : "";
      const ratio = ((on / median(bare.rt)) * 100).toFixed(1);
      console.log(`  round trips/s, ${label}: ${fmt(on)} / bare = ${ratio} %; ${cost.toFixed(1)} % below progress off${target}`);
    }
    if ("skipped" in artillery) console.log(`  artillery: skipped (${artillery.skipped})`);
    else {
      const times = median(ours.rt) / median(theirs);
      console.log(
        `  artillery 2.0.34 ws engine (on node, same server, same frames, ${CONNECTIONS} virtual users × ${MESSAGES} echoes): ${
          fmt(median(theirs))
        } messages/s`,
      );
      console.log(
        `  wsstress round trips/s ÷ artillery messages/s = ${times.toFixed(1)}× at window 1, ${
          (median(pipelined) / median(theirs)).toFixed(1)
        }× at window ${WINDOW} (${fmt(median(pipelined))} rt/s) (target ≥ 5×)`,
      );
    }
  } finally {
    await server.stop();
  }
}

// BENCH_SIO_ONLY=1 and BENCH_SCENARIO_ONLY=1: that comparison alone
const only = process.env.BENCH_SIO_ONLY === "1" ? "sio" : process.env.BENCH_SCENARIO_ONLY === "1" ? "scenario" : undefined;
if (only === undefined) histogramMemory();
if (only === undefined) liveCosts();
const artillery = only === "scenario" ? { skipped: "BENCH_SCENARIO_ONLY=1" } : await prepareArtillery();
if (only === undefined) await harnessBench(artillery);
if (only !== "scenario" && process.env.BENCH_SIO !== "0") await socketIoBench(artillery);
if (only !== "sio" && process.env.BENCH_SCENARIO !== "0") await scenarioBench(ROUNDS, CONNECTIONS, MESSAGES);
if (only === undefined) await noiseBench();
// last, on an otherwise idle machine: the sweep starts servers of its own
if (only === undefined) await fullSweeps();
