/**
 * Artillery's WebSocket engine as a point of comparison for `npm run bench`.
 * It is installed on demand into a scratch folder, never into wsstress's
 * dependencies: it pulls ~600 packages, and tries to download a browser
 * unless `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1`. `BENCH_ARTILLERY=0` skips it.
 * https://www.artillery.io/docs/reference/engines/websocket
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { resolveRuntimes } from "../src/host/executables.ts";

const VERSION = "2.0.34";
const FOLDER = path.join(os.tmpdir(), "wsstress-artillery");
const ENTRY = path.join(FOLDER, "node_modules", "artillery", "bin", "run");
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const RUN_TIMEOUT_MS = 10 * 60_000;

export type Artillery = {
  /** the ws engine: echoes of `frame`, one at a time per virtual user; resolves messages received per second */
  run(url: string, connections: number, messages: number, frame: (id: string) => string): Promise<number>;
  /** the socketio engine: emits of `event` with `data`, each awaiting its acknowledgement; resolves acknowledged emits per second */
  socketio(url: string, connections: number, messages: number, event: string, data: string): Promise<number>;
};

function exec(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs: number; env?: Record<string, string> },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs, env: { ...process.env, ...options.env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${path.basename(command)} ${args.slice(0, 2).join(" ")} failed: ${error.message}\n${stderr.slice(-1000)}`));
        } else resolve(stdout);
      },
    );
  });
}

/** Artillery ready to run, or why it is not. */
export async function prepareArtillery(): Promise<Artillery | { skipped: string }> {
  if (process.env.BENCH_ARTILLERY === "0") return { skipped: "BENCH_ARTILLERY=0" };
  const [node] = await resolveRuntimes(["node"]).catch(() => [undefined]);
  if (!node) return { skipped: "no node executable to run Artillery with" };
  if (!existsSync(ENTRY)) {
    console.log(`installing artillery@${VERSION} into ${FOLDER} (once; it pulls ~600 packages)…`);
    mkdirSync(FOLDER, { recursive: true });
    const npm = path.join(path.dirname(node.executable), process.platform === "win32" ? "npm.cmd" : "npm");
    try {
      await exec(existsSync(npm) ? npm : "npm", ["install", "--prefix", FOLDER, "--no-audit", "--no-fund", `artillery@${VERSION}`], {
        timeoutMs: INSTALL_TIMEOUT_MS,
        env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
      });
    } catch (error) {
      return { skipped: `artillery@${VERSION} did not install: ${(error as Error).message.split("\n")[0]}` };
    }
    if (!existsSync(ENTRY)) return { skipped: `artillery@${VERSION} installed without ${ENTRY}` };
  }
  return {
    run: (url, connections, messages, frame) => runArtillery(node.executable, url, connections, messages, frame),
    socketio: (url, connections, messages, event, data) => runArtillerySocketIo(node.executable, url, connections, messages, event, data),
  };
}

/**
 * `connections` virtual users arrive within the first second (as wsstress
 * opens its pool before it sends); each opens a socket and makes `messages`
 * echo round trips one at a time (send, wait for the echo). Resolves
 * Artillery's messages received per second over its run.
 */
async function runArtillery(
  node: string,
  url: string,
  connections: number,
  messages: number,
  frame: (id: string) => string,
): Promise<number> {
  const script = [
    "config:",
    `  target: ${JSON.stringify(url)}`,
    "  phases:",
    `    - { duration: 1, arrivalCount: ${connections} }`,
    "scenarios:",
    "  - engine: ws",
    "    flow:",
    "      - loop:",
    "          - send:",
    `              payload: ${JSON.stringify(frame("{{ $loopCount }}"))}`,
    '              match: { json: "$.op", value: "echo" }',
    `        count: ${messages}`,
    "",
  ].join("\n");
  return perSecond(node, "echo", script, "websocket.messages_received");
}

/**
 * The same arrivals on Artillery's Socket.IO engine (socket.io-client, WebSocket transport only): each
 * virtual user emits `event` with `data` `messages` times, waiting for each acknowledgement before the next
 * (as wsstress's socketio profile does at window 1). Resolves acknowledged emits per second.
 */
function runArtillerySocketIo(
  node: string,
  url: string,
  connections: number,
  messages: number,
  event: string,
  data: string,
): Promise<number> {
  const script = [
    "config:",
    `  target: ${JSON.stringify(url.replace(/^ws/, "http"))}`,
    "  socketio:",
    "    transports: [websocket]",
    "  phases:",
    `    - { duration: 1, arrivalCount: ${connections} }`,
    "scenarios:",
    "  - engine: socketio",
    "    flow:",
    "      - loop:",
    "          - emit:",
    `              channel: ${JSON.stringify(event)}`,
    `              data: ${JSON.stringify(data)}`,
    // beside emit, not under it: the engine waits for the ack, checks it carries the data, and times it
    "            acknowledge:",
    `              data: ${JSON.stringify(data)}`,
    `        count: ${messages}`,
    "",
  ].join("\n");
  // acknowledged emits: the response times the engine recorded (it records one for each ack that matched)
  return perSecond(node, "socketio", script, "socketio.response_time");
}

/** Runs an Artillery script; resolves `counter` (a counter, or a summary's count) per second over the span Artillery counted in. */
async function perSecond(node: string, name: string, script: string, counter: string): Promise<number> {
  const dir = path.join(FOLDER, "runs");
  mkdirSync(dir, { recursive: true });
  const scriptFile = path.join(dir, `${name}.yml`);
  const outFile = path.join(dir, `${name}.json`);
  writeFileSync(scriptFile, script);
  const env = { ARTILLERY_DISABLE_TELEMETRY: "true", DO_NOT_TRACK: "1" };
  await exec(node, [ENTRY, "run", "--output", outFile, scriptFile], { cwd: dir, timeoutMs: RUN_TIMEOUT_MS, env });
  const { aggregate } = JSON.parse(readFileSync(outFile, "utf8")) as {
    aggregate: {
      counters: Record<string, number>;
      summaries: Record<string, { count: number }>;
      firstCounterAt: number;
      lastCounterAt: number;
    };
  };
  const counted = aggregate.counters[counter] ?? aggregate.summaries?.[counter]?.count ?? 0;
  const failed = aggregate.counters["vusers.failed"] ?? 0;
  if (failed > 0) console.log(`  artillery ${name}: ${failed} virtual users failed`);
  return (counted / Math.max(1, aggregate.lastCounterAt - aggregate.firstCounterAt)) * 1000;
}
