// Stress an MQTT broker over WebSocket (aedes here) through the mqtt profile, QoS 0 and QoS 1 reported apart.
// Start the broker first: node examples/servers/mqtt-aedes.ts
import process from "node:process";
import { stress } from "../mod.ts";

const url = process.argv[2] ?? "ws://127.0.0.1:8086/";
const report = await stress()
  .target(url)
  .profile("mqtt?message=loopback") // echoes through a topic of its own, so compression runs too; mqtt?version=5 for MQTT 5
  .level("minimal")
  .run();

console.log(report.terminal());
const [level] = report.json.levels;
for (const s of level.suites) console.log(`${s.suite}: ${s.status}, ${s.errors.reduce((n, e) => n + e.count, 0)} errors`);
for (const note of level.suites.find((s) => s.suite === "broadcast")!.notes.filter((n) => n.startsWith("QoS"))) console.log(note);
