// One plan in two shards, merged: on two machines, each would run one shard
// (`--shard 0/2`, `--shard 1/2` with a common --start-at and --target) and
// `wsstress merge` would join their --json files.
import { createReport, mergeShards, stress } from "../mod.ts";

const plan = stress().level("minimal").suite("message", "broadcast");
const shards = [];
for (const index of [0, 1]) shards.push({ name: `shard ${index}`, result: (await plan.shard(index, 2).run()).json });

const merged = mergeShards(shards);
const broadcast = merged.levels[0].suites.find((s) => s.suite === "broadcast");
console.log(`merged ${merged.merged?.shards} shards: ${broadcast?.histograms["wire.queued_latency"]?.count} broadcast deliveries`);
console.log(createReport(merged).markdown().split("\n")[0]);
