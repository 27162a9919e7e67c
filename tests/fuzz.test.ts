/**
 * 100,000 random and mutated frames per run into the protocol decoders and a
 * hub with counting peers: nothing throws, every request gets exactly one
 * well-formed reply, and memory stays bounded (channel tables by count, the
 * heap after GC by a generous margin where the runtime lets us collect).
 *
 * The seed is printed; WSSTRESS_FUZZ_SEED=<seed> replays a run exactly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { type CountingPeer, createCountingPeer, createHub, HUB_DEFAULTS } from "../src/hub/mod.ts";
import { decodeReply, decodeRequest } from "../src/protocol/codec.ts";
import { generator } from "./fixtures/fuzz-frames.ts";

const FRAMES = 100_000;
const PEERS = 8;
/** generous: the hub's own state is a few MB at most; this catches growth per frame, not noise */
const HEAP_GROWTH_BOUND = 64 << 20;
const OPS = new Set(["echo", "auth", "sub", "unsub", "pub", "stats"]);
const REPLY_OPS = new Set(["echo", "ack", "msg", "error"]);

const seed = process.env.WSSTRESS_FUZZ_SEED === undefined ? (Math.random() * 2 ** 32) >>> 0 : Number(process.env.WSSTRESS_FUZZ_SEED);
console.log(`fuzz seed ${seed} (replay with WSSTRESS_FUZZ_SEED=${seed})`);

/** A full collection where the runtime offers one; undefined where it does not (then the heap is not judged). */
async function collect(): Promise<(() => void) | undefined> {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.Bun) return () => g.Bun!.gc(true);
  if (typeof g.gc === "function") return g.gc;
  try {
    const v8 = await import("node:v8");
    const vm = await import("node:vm");
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

const heapAfterGc = (gc: () => void): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe(`fuzzing the protocol and the hub with ${FRAMES.toLocaleString("en")} frames (seed ${seed})`, () => {
  it("decodeRequest and decodeReply never throw, and whatever decodeRequest accepts has the declared shape", () => {
    const gen = generator(seed);
    let accepted = 0;
    for (let i = 0; i < FRAMES; i++) {
      const text = gen.frame();
      const d = decodeRequest(text);
      decodeReply(text);
      if (!d.ok) {
        assert.equal(typeof d.message, "string");
        assert.ok(d.id === undefined || Number.isSafeInteger(d.id), `frame ${i}: id ${d.id}`);
        continue;
      }
      accepted++;
      const r = d.value as Record<string, unknown>;
      assert.ok(OPS.has(String(r.op)) && Number.isSafeInteger(r.id), `frame ${i}: ${JSON.stringify(r).slice(0, 200)}`);
      if ("ch" in r) assert.ok(typeof r.ch === "string" && r.ch.length > 0, `frame ${i}: ch`);
      if (r.op === "pub") assert.ok(Number.isSafeInteger(r.seq) && Number.isFinite(r.ts) && typeof r.p === "string", `frame ${i}: pub`);
    }
    assert.ok(accepted > FRAMES / 20, `the generator reaches the hub's paths: ${accepted} frames were valid requests`);
  });

  it("the hub answers every frame with exactly one well-formed reply, never throws, and keeps its tables bounded", async () => {
    const gen = generator(seed ^ 0x5eed);
    let clock = 0;
    const hub = createHub<CountingPeer>({ idleTimeoutMs: 60_000 }, {
      runtime: "fuzz",
      memory: () => ({ rssBytes: 0, heapUsedBytes: 0 }),
      now: () => clock,
    });
    const peers: CountingPeer[] = [];
    const fresh = (): CountingPeer => {
      const p = createCountingPeer();
      hub.open(p);
      return p;
    };
    for (let i = 0; i < PEERS; i++) peers.push(fresh());
    const gc = await collect();
    let baseline: number | undefined;

    for (let i = 0; i < FRAMES; i++) {
      if (i === FRAMES / 10 && gc) baseline = heapAfterGc(gc);
      const slot = gen.int(PEERS);
      const roll = gen.rand();
      // now and then a connection goes away (closed, cut as slow, or idle) and a new one takes its place
      if (roll < 0.003) {
        const gone = peers[slot];
        if (roll < 0.001) hub.close(gone);
        else if (roll < 0.002) hub.overflow(gone);
        else {
          clock += 61_000;
          hub.sweepIdle();
        }
        for (let s = 0; s < PEERS; s++) if (!peers[s].open) peers[s] = fresh();
      }
      const peer = peers[slot];
      const text = gen.frame();
      const before = peer.received;
      const d = decodeRequest(text);
      const selfSubscribed = d.ok && d.value.op === "pub" && peer.channels.has(d.value.ch);
      try {
        hub.message(peer, text);
      } catch (error) {
        assert.fail(`frame ${i} threw ${error}: ${JSON.stringify(text.slice(0, 300))}`);
      }
      clock += 1;
      const reply = JSON.parse(peer.last) as { op: string; id?: number; ok?: boolean };
      const own = selfSubscribed && reply.op === "ack" && reply.ok ? 2 : 1;
      assert.equal(peer.received - before, own, `frame ${i}: one reply (plus its own delivery): ${JSON.stringify(text.slice(0, 300))}`);
      assert.ok(REPLY_OPS.has(reply.op), `frame ${i}: reply op ${reply.op}`);
      // a frame over the size limit is refused unread, so its reply cannot carry an id
      if (d.ok && text.length <= HUB_DEFAULTS.maxFrameBytes) {
        assert.ok(reply.id === d.value.id, `frame ${i}: the reply carries the request's id, ${reply.id} for ${d.value.id}`);
      }
      if (i % 1000 === 0) {
        for (const p of peers) {
          assert.ok(p.channels.size <= HUB_DEFAULTS.maxChannelsPerPeer, `frame ${i}: ${p.channels.size} channels on one peer`);
        }
        assert.ok(hub.channels <= PEERS * HUB_DEFAULTS.maxChannelsPerPeer, `frame ${i}: ${hub.channels} channels`);
        assert.equal(hub.connections, PEERS);
      }
    }
    for (const p of peers) hub.close(p);
    assert.equal(hub.connections, 0);
    assert.equal(hub.channels, 0, "closing every peer empties the channel table");
    if (gc && baseline !== undefined) {
      const growth = heapAfterGc(gc) - baseline;
      assert.ok(growth < HEAP_GROWTH_BOUND, `heap grew ${(growth / 2 ** 20).toFixed(1)} MiB after GC`);
    }
  });
});
