// Reports to look at and to gate on: the HTML page with charts, the Prometheus
// figures, and a comparison with the baseline kept by an earlier run.
import { readFile, writeFile } from "node:fs/promises";
import { compareResults, parseResult, stress } from "../mod.ts";

const report = await stress().level("minimal").suite("message").run();
await writeFile("wsstress-report.html", report.html()); // one file: opens from disk, fetches nothing
await writeFile("wsstress.prom", report.prometheus());

// the first run becomes the baseline; every later run is compared with it
const saved = await readFile("wsstress-baseline.json", "utf8").catch(() => undefined);
if (saved === undefined) {
  await writeFile("wsstress-baseline.json", JSON.stringify(report.json));
  console.log("baseline saved");
} else {
  const comparison = compareResults(parseResult(JSON.parse(saved)), report.json, { tolerancePercent: 50 });
  for (const row of comparison.rows.filter((r) => r.change === "regressed")) {
    console.log(`regressed: ${row.level} ${row.suite} ${row.label}: ${row.baseline.toFixed(2)} → ${row.current.toFixed(2)} ${row.unit}`);
  }
  console.log(`${comparison.regressed} regressed, ${comparison.improved} improved, ${comparison.same} the same`);
}
