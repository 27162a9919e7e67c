// Check a WebSocket server against RFC 6455: here the reference server, started on this runtime (pass a ws:// URL for
// yours), then a stress run that also runs the conformance sample while the load is on.
// Run it with `node examples/conformance.ts`, `deno run -A examples/conformance.ts` or `bun examples/conformance.ts`.
import { conform, stress } from "../mod.ts";

const report = await conform(undefined, { cases: "1.*,2.*,7.*" });
console.log(report.terminal());
console.log(`${report.json.cases.length} cases: ${report.json.counts.OK} OK, ${report.json.counts.FAILED} failed`);

const run = await stress().level("minimal").suite("message").conform().run();
const level = run.json.levels[0].conformance!;
const codes = JSON.stringify(level.closeCodes);
console.log(`under load: ${level.runs} cases run, ${level.violations} protocol violations, close codes ${codes}`);
