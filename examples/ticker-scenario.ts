// A scenario in the server's own frames (the reference protocol): each frame parsed once, a request tied to its
// reply by the user's match, a push awaited, a metric of the user's own, and a frame sent with no reply awaited.
import { defineScenario, stress } from "../mod.ts";

type Frame = { op: string; id?: number; ok?: boolean; ch?: string; ts?: number };

const ticker = defineScenario<Frame>({
  name: "ticker",
  // the reference server lets only publishers publish
  role: "publisher",
  iterations: 20,
  parse: (frame) => JSON.parse(String(frame)),
  metrics: { quote_age: { kind: "histogram", label: "quote age", unit: "ms" } },
  async setup(vu) {
    const sub = JSON.stringify({ op: "sub", id: 1, ch: `public.ticker-${vu.index}` });
    const ack = await vu.request(sub, (m) => m.op === "ack" && m.id === 1);
    vu.check("subscribed", ack.ok);
  },
  async run(vu) {
    const ch = `public.ticker-${vu.index}`;
    const id = 2 + vu.iteration;
    const quote = JSON.stringify({ op: "pub", id, ch, seq: vu.iteration, ts: Date.now(), p: "EUR/USD 1.0842" });
    // a round trip: the publish's ack, whatever else arrives first
    await vu.request(quote, (m) => m.op === "ack" && m.id === id);
    // the quote's delivery to this subscriber: buffered if it came before the ack, awaited otherwise
    const heard = await vu.expect((m) => m.op === "msg" && m.ch === ch, { within: 1000 });
    if (vu.check("quote delivered", heard !== undefined)) vu.metric("quote_age").add(Date.now() - heard!.ts!);
    await vu.think(5, 15);
  },
  teardown(vu) {
    // nothing awaited: the server's ack stays unread, and is counted as such
    vu.send(JSON.stringify({ op: "unsub", id: 0, ch: `public.ticker-${vu.index}` }));
  },
});

const report = await stress().scenario(ticker).level("minimal").warmup(false).run();
const [suite] = report.json.levels[0].suites;
const figure = (key: string) => suite.metrics.find((m) => m.key === key)?.value ?? 0;
console.log(
  `ticker: ${figure("vus")} virtual users, ${figure("requests")} round trips, ${figure("expects")} quotes awaited, ` +
    `${figure("sends")} frames sent unanswered, ${figure("checks")} checks`,
);
console.log(
  `ticker: request p99 ${figure("request_p99_ms").toFixed(1)} ms, quote age p99 ${figure("quote_age_p99").toFixed(1)} ms, ` +
    `${figure("checks_failed")} checks failed, verdict ${suite.verdict}`,
);
