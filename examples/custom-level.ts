// A level of your own next to a seed level: the two are run lowest load first
// and the degradation between them is computed as for the seed levels.
import { stress } from "../mod.ts";

const chatRoom = { name: "chatRoom", operations: 4_000, connections: 40, messagesPerConnection: 50, subscribers: 40 };

const report = await stress().levels("minimal", chatRoom).suite("message", "broadcast").run();

for (const d of report.json.analysis.degradation) {
  console.log(`${d.suite} ${d.layer} ${d.label}: ${d.percent.toFixed(1)} % from ${d.bottomLevel} to ${d.topLevel}`);
}
