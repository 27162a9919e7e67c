/**
 * The live dashboard's server, through this machine's HTTP ability: on
 * loopback only (another loopback address is refused, and so is a name that
 * is not loopback's) unless remote access is asked for; a port taken is the
 * user's mistake; and the CLI's `--dashboard [PORT]` reads its port.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { parseCli } from "../src/cli/run-flags.ts";
import { currentPlatform } from "../src/host/host-platform.ts";
import { type Dashboard, DEFAULT_DASHBOARD_PORT, startDashboard } from "../src/run/live-dashboard.ts";
import type { Platform } from "../src/run/platform.ts";
import { assertExit, runCli } from "./_cli.ts";

type Got = { status: number; type: string; body: string } | { error: string };

/** One request with the Host header given, reading at most the first event of a stream. */
function get(url: string, options: { host?: string; method?: string } = {}): Promise<Got> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: options.method ?? "GET", headers: options.host ? { host: options.host } : {} }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
        if (body.includes("\n\n") && res.headers["content-type"]?.startsWith("text/event-stream")) res.destroy(), done();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body });
      res.on("end", done);
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

const CLI = { noColor: true, isTTY: false };

describe("the dashboard's server", () => {
  let platform: Platform;
  let local: Dashboard;
  let remote: Dashboard;
  const on = (d: Dashboard, address: string): string => d.url.replace("127.0.0.1", address);

  before(async () => {
    platform = await currentPlatform();
    local = await startDashboard(platform, { port: 0 });
    remote = await startDashboard(platform, { port: 0, allowRemote: true });
  });
  after(async () => {
    await local?.close();
    await remote?.close();
  });

  it("serves the page on 127.0.0.1 and nowhere else, and only to loopback's names", async () => {
    const page = await get(local.url);
    assert.ok("status" in page && page.status === 200 && page.type.startsWith("text/html"), JSON.stringify(page).slice(0, 200));
    assert.match((page as { body: string }).body, /<title>wsstress live<\/title>/);
    assert.deepEqual(await get(on(local, "127.0.0.2")), { error: "ECONNREFUSED" });
    const rebound = await get(local.url, { host: "attacker.example:80" });
    assert.equal("status" in rebound && rebound.status, 403);
    const named = await get(local.url, { host: `localhost:${new URL(local.url).port}` });
    assert.equal("status" in named && named.status, 200);
  });

  it("answers its event stream with the page's parts, and nothing else but GET of what it serves", async () => {
    const events = await get(`${local.url}events`);
    assert.ok("body" in events, JSON.stringify(events));
    assert.match(events.type, /^text\/event-stream/);
    const [name, data] = events.body.split("\n");
    assert.equal(name, "event: view");
    assert.deepEqual(Object.keys(JSON.parse(data.slice("data: ".length))), ["live-status", "live-suites", "live-levels"]);
    assert.equal((await get(`${local.url}report`) as { status: number }).status, 404, "no report before the run ends");
    assert.equal((await get(`${local.url}nothing`) as { status: number }).status, 404);
    assert.equal((await get(local.url, { method: "POST" }) as { status: number }).status, 405);
  });

  it("with remote access asked for, listens on every interface and answers any name", async () => {
    assert.equal(remote.remote, true);
    const other = await get(on(remote, "127.0.0.2"), { host: "dashboard.example" });
    assert.equal("status" in other && other.status, 200);
  });

  it("refuses a port already taken with a RangeError naming it", async () => {
    const port = Number(new URL(local.url).port);
    await assert.rejects(
      startDashboard(platform, { port }),
      (e: Error) => e instanceof RangeError && e.message.includes(`port ${port} on 127.0.0.1 cannot be used (EADDRINUSE)`),
    );
  });
});

describe("--dashboard [PORT]", () => {
  it("takes the port given, or the default when a flag or nothing follows", () => {
    assert.deepEqual(parseCli(["--dashboard", "0"], CLI).dashboard, { port: 0, allowRemote: false });
    assert.deepEqual(parseCli(["--dashboard=7000", "--allow-remote"], CLI).dashboard, { port: 7000, allowRemote: true });
    assert.deepEqual(parseCli(["--dashboard", "--quick"], CLI).dashboard, { port: DEFAULT_DASHBOARD_PORT, allowRemote: false });
    assert.deepEqual(parseCli(["--quick", "--dashboard"], CLI).dashboard, { port: DEFAULT_DASHBOARD_PORT, allowRemote: false });
    assert.equal(parseCli(["--quick"], CLI).dashboard, undefined);
    assert.equal(parseCli(["--dashboard", "--allow-remote"], CLI).input.target, undefined, "--allow-remote is the dashboard's");
  });

  it("refuses what is no port, exit 2 before any load", async () => {
    for (const [arg, given] of [["abc", '"abc"'], ["70000", "70000"], ["-1", "-1"]]) {
      const run = await runCli(["--level", "minimal", "--dashboard", arg]);
      assertExit(run, 2);
      assert.match(
        run.stderr,
        new RegExp(`^wsstress: --dashboard: ${given} is not a port; allowed: an integer from 0 \\(any free port\\) to 65535$`, "m"),
      );
    }
  });

  it("prints the dashboard's address first, runs, and exits 0", async () => {
    const run = await runCli(["--level", "minimal", "--suite", "connection", "--dashboard", "0", "--quiet"], 120_000);
    assertExit(run, 0);
    assert.match(run.stderr.split("\n")[0], /^dashboard: http:\/\/127\.0\.0\.1:\d+\/: live while the run goes, then the final report$/);
  });
});
