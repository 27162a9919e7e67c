// wsstress installed as a package (npm, Bun, or Deno with `deno add --unscoped jsr:@wsstress/wsstress`):
// `node stress.ts` (Node ≥ 22.18; name it stress.mts where package.json says "type": "commonjs", as `npm init -y`
// writes), `bun stress.ts`, `deno run -A stress.ts`.
import { stress } from "wsstress";

const report = await stress().level("minimal").suite("message").run();
console.log(report.terminal());
console.log(`wsstress ${report.json.tool.version} on ${report.json.runtime.name}: ${report.json.status}, verdict ${report.json.verdict}`);
