/**
 * What a scenario costs over a built-in suite, for `npm run bench`: the
 * message suite's echo done by the message suite itself and by a scenario
 * (`vu.echo()`, and `vu.request(frame, match)` with the same frame), on the
 * same reference server, the same connections and round trips, one at a
 * time per connection, interleaved over rounds; medians and the ratio
 * (target: the scenario path costs under 10 % of round trips/s).
 * `BENCH_SCENARIO=0` skips it, `BENCH_SCENARIO_ONLY=1` runs it alone.
 */
import { defineScenario, type Level, stress } from "../mod.ts";
import { currentRuntime } from "../src/host/runtime-adapters.ts";
import { startServerProcess } from "../src/host/server-process.ts";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
/** the message suite's payload (`src/suites/message.ts`) */
const PAYLOAD = "wsstress-".repeat(7) + "payload";

/** The profile's echo, one per iteration: the message suite's frame, through the scenario's verbs. */
const echoVerb = defineScenario({ name: "bench-echo", run: (vu) => vu.echo() });

/** The same frame sent raw and its reply recognised by the user's match: the path a hand-written flow takes. */
const requestVerb = defineScenario<string>({
  name: "bench-request",
  async run(vu) {
    const id = vu.index * 1_000_000 + vu.iteration;
    const tail = `"id":${id},`;
    await vu.request(`{"op":"echo","id":${id},"p":"${PAYLOAD}"}`, (reply) => reply.includes(tail));
  },
});

const figure = async (builder: ReturnType<typeof stress>, key: string): Promise<number> => {
  const report = await builder.warmup(false).run();
  const [suite] = report.json.levels[0].suites;
  const errors = suite.errors.reduce((n, e) => n + e.count, 0);
  if (errors > 0) console.log(`  ${suite.suite}: ${errors} errors (${suite.errors.map((e) => e.class).join(", ")})`);
  return suite.metrics.find((m) => m.layer === "wire" && m.key === key)?.value ?? Number.NaN;
};

export async function scenarioBench(rounds: number, connections: number, messages: number): Promise<void> {
  const runtime = await currentRuntime();
  const level: Level = { name: "bench", operations: connections * messages, connections, messagesPerConnection: messages, subscribers: 1 };
  const server = await startServerProcess(runtime.name, { perMessageDeflate: false, timeoutMs: 10_000 });
  const base = stress().level(level).target(server.url);
  const suite = () => figure(base.suite("message"), "round_trips_per_s");
  const echo = () => figure(base.scenario(echoVerb), "requests_per_s");
  const request = () => figure(base.scenario(requestVerb), "requests_per_s");
  try {
    await suite(); // warm the server and the client's code paths
    const runs = { suite: [] as number[], echo: [] as number[], request: [] as number[] };
    for (let round = 1; round <= rounds; round++) {
      // the order turns each round, so no path always inherits the previous run's closing sockets
      const order = round % 2 === 1 ? (["suite", "echo", "request"] as const) : (["request", "echo", "suite"] as const);
      for (const path of order) runs[path].push(await { suite, echo, request }[path]());
      const [s, e, r] = [runs.suite, runs.echo, runs.request].map((xs) => xs[xs.length - 1]);
      console.log(
        `scenario round ${round}: message suite ${fmt(s)} rt/s · scenario vu.echo ${fmt(e)} rt/s · scenario vu.request ${fmt(r)} rt/s`,
      );
    }
    const [s, e, r] = [runs.suite, runs.echo, runs.request].map(median);
    const cost = (x: number) => `${(100 - (x / s) * 100).toFixed(1)} %`;
    console.log(
      `${runtime.name} ${runtime.version}, ${connections} connections × ${messages} echoes, window 1, ${rounds} interleaved rounds, medians:`,
    );
    console.log(`  message suite:              ${fmt(s)} round trips/s`);
    console.log(`  scenario, vu.echo():        ${fmt(e)} round trips/s, costs ${cost(e)} (target under 10 %)`);
    console.log(`  scenario, vu.request(f, m): ${fmt(r)} round trips/s, costs ${cost(r)}`);
  } finally {
    await server.stop();
  }
}
