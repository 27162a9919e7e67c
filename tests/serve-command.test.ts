/**
 * `wsstress serve`: the reference server on its own. It prints its URL,
 * answers a client (an echo and `stats`), stops on SIGTERM and SIGINT with
 * exit 0, and refuses a remote bind without --allow-remote, bad flags and a
 * port in use, each in one line.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type AddressInfo, createServer } from "node:net";
import { assertExit, runCli, runtime } from "./_cli.ts";
import { type Served, startServe } from "./_serve.ts";

/** Runs `body` on a server started with `args`, and always stops it. */
async function withServe(args: string[], body: (served: Served) => Promise<void>): Promise<void> {
  const served = await startServe(args);
  try {
    await body(served);
  } finally {
    await served.stop("SIGKILL");
  }
}

/** One request over a WebSocket (the runtime's own client), resolving the first reply. */
function ask(url: string, frame: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error(`no reply from ${url} to ${frame}`)), 10_000);
    socket.onopen = () => socket.send(frame);
    socket.onerror = () => reject(new Error(`cannot reach ${url}`));
    socket.onmessage = (event) => {
      clearTimeout(timer);
      socket.close();
      resolve(JSON.parse(String(event.data)));
    };
  });
}

describe(`wsstress serve (${runtime})`, () => {
  it("prints its URL, serves a client, and stops on SIGTERM with exit 0", () =>
    withServe([], async (served) => {
      assert.match(served.url, /^ws:\/\/127\.0\.0\.1:\d+\/$/);
      const echo = await ask(served.url, '{"op":"echo","id":7,"p":"hello"}');
      assert.deepEqual([echo.op, echo.id, echo.p], ["echo", 7, "hello"]);
      const stats = await ask(served.url, '{"op":"stats","id":8}');
      assert.equal(typeof (stats.stats as { connections?: unknown })?.connections, "number");
      const ended = await served.stop("SIGTERM");
      assert.equal(ended.code, 0, served.stderr());
      assert.match(served.stderr(), /reference server on \w+ \(pid \d+/);
    }));

  const other = runtime === "node" ? "bun" : "node";
  it("runs the server on another runtime when asked, and stops on SIGINT", () =>
    withServe(["--runtime", other, "--port", "0"], async (served) => {
      assert.match(served.stderr(), new RegExp(`reference server on ${other}`));
      assert.equal((await ask(served.url, '{"op":"echo","id":1,"p":"x"}')).op, "echo");
      assert.equal((await served.stop("SIGINT")).code, 0, served.stderr());
    }));

  it("refuses a host other machines can reach unless --allow-remote, and warns when allowed", async () => {
    const refused = await runCli(["serve", "--host", "0.0.0.0"]);
    assertExit(refused, 2);
    assert.match(refused.stderr, /--host 0\.0\.0\.0 is not loopback.*--allow-remote/);
    await withServe(["--host", "0.0.0.0", "--allow-remote"], async (served) => {
      assert.match(served.stderr(), /WARNING: listening on 0\.0\.0\.0/);
      assert.equal((await served.stop()).code, 0);
    });
  });

  it("refuses a bad port, runtime or hub limit with exit 2", async () => {
    for (
      const [args, message] of [
        [["--port", "70000"], /--port must be an integer from 0 to 65535/],
        [["--runtime", "java"], /--runtime: unknown value "java"; allowed: node, deno, bun/],
        [["--runtime", "nod"], /--runtime: unknown value "nod" \(did you mean "node"\?\); allowed: node, deno, bun/],
        [["--max-frame", "lots"], /--max-frame must be a number/],
        [["extra"], /wsstress serve: unexpected argument "extra"; allowed: no arguments, only flags/],
        [["--rate-limit=-1"], /^wsstress: serve: --rate-limit \(rateLimit\.perSecond\): .*received -1\n$/],
        [["--rate-limit", "-1"], /^wsstress: serve: --rate-limit \(rateLimit\.perSecond\): .*received -1\n$/],
        [["--rate-limit", "5", "--burst=-2"], /^wsstress: serve: --burst \(rateLimit\.burst\): .*received -2\n$/],
      ] as const
    ) {
      const run = await runCli(["serve", ...args]);
      assertExit(run, 2);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, `one line: ${run.stderr}`);
    }
  });

  it("refuses a port in use with one line naming the port, exit 2", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const run = await runCli(["serve", "--port", String(port)]);
      assertExit(run, 2);
      const advice = "choose another --port, or --port 0 for any free one";
      assert.equal(run.stderr, `wsstress: serve: port ${port} on 127.0.0.1 is in use; ${advice}\n`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
