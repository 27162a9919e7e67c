/**
 * What a suite is and what it gets. A suite measures one dimension at one
 * level: its wire layer over real sockets, then its engine layer in-process.
 * It reports through the recorder as it goes, so a suite that throws
 * part-way still keeps every figure it measured.
 *
 * A shardable suite's wire layer may run as several shares in worker
 * processes at once (a level's connections do not fit in one process); each
 * share opens `share.count` connections with the level's global indices.
 */
import type { ConnectionSettings } from "../profiles/connection-settings.ts";
import type { Level } from "../model/levels.ts";
import type { Profile } from "../profiles/profile.ts";
import type { CountingProxy, Runtime } from "../model/runtime-contract.ts";
import type { Plan, SuiteId } from "../model/result.ts";
import type { ServerStats } from "../protocol/messages.ts";
import type { Share } from "../load/placement.ts";
import type { LoadSampler } from "../load/generator-load.ts";
import type { MetricDeclarations } from "./metric-spec.ts";
import type { SuiteRecorder } from "./suite-recorder.ts";

export type SuiteContext = {
  runtime: Runtime;
  share: Share;
  /** whether the server offers permessage-deflate */
  serverDeflate: boolean;
  level: Level;
  plan: Plan;
  /** how the suite speaks to the server */
  profile: Profile;
  /** headers, subprotocols, CA and tokens of the caller's */
  connection: ConnectionSettings;
  signal: AbortSignal;
  record: SuiteRecorder;
  /** every share now holds its connections open: the server side is measured (see `Suite.atPeak`) before this resolves */
  peak(): Promise<void>;
  /**
   * every share finished its capacity phase, which did `ops` over [startMs, endMs] here: resolves the level's
   * capacity per second (all shares' operations over the union of their spans), so the paced phases start together
   */
  capacity(ops: number, startMs: number, endMs: number): Promise<number>;
  /** starts sampling this process's load (CPU, timer lag), for a phase's generator figures */
  sampleLoad: LoadSampler;
  /** a byte-counting proxy in front of `target` */
  countingProxy(target: string): Promise<CountingProxy>;
};

/** The servers' own figures, summed over the level's server processes, before the wire layer and at its peak. */
export type ServerFigures = { before?: ServerStats; after?: ServerStats };

/**
 * How a suite splits capacity from latency at load, by the names of its facts: a closed loop measures capacity
 * (its latency is the queue it builds, shown as such), then a paced phase at a stated load measures latency from
 * each request's intended send time, and that latency is what thresholds judge. A suite with a capacity phase
 * alone (the connection suite's handshakes) names only `capacity`.
 */
export type LoadSplit = {
  /** the closed loop's throughput (a rate fact) */
  capacity: string;
  /** the closed loop's latency histogram: queueing, shown with Little's law, never judged */
  queued?: string;
  /** the paced phase's latency histograms, judged; the first one's median is the unqueued latency */
  paced?: readonly [string, ...string[]];
};

export type Suite = {
  /** one of the six, or a user's scenario */
  name: SuiteId;
  /** the metrics it emits, by `layer.key`: the catalogue is the union of the suites' (`metric-catalogue.ts`) */
  metrics: MetricDeclarations;
  /** what its share of the planned work done counts (`wire.answered_pct`, every suite's first wire metric), e.g. "deliveries received" */
  answered: string;
  /** one line for --help and the README */
  description: string;
  /** where this suite splits capacity from latency at load; absent: one measurement */
  split?: LoadSplit;
  /** whether the wire layer can be split into shares; if not, it runs in one process whatever the level */
  shardable: boolean;
  /** why this suite cannot run with these settings (the profile lacks an operation, a role has no token); undefined when it can */
  unsupported?(profile: Profile, connection: ConnectionSettings, target: string | undefined): string | undefined;
  /**
   * in a sharded plan (`plan.shard`), whether a suite that is not shardable
   * takes its own slice of the plan; if not, shard 0 alone runs its wire layer
   */
  slicesItself?: boolean;
  /** the connections the wire layer opens at a level, split into shares; the level's connections when absent */
  connectionsAt?(level: Level): number;
  /** real frames over real sockets */
  wire(ctx: SuiteContext): Promise<void>;
  /** runs once per level where the servers can be asked, while every share holds its connections */
  atPeak?(record: SuiteRecorder, servers: ServerFigures): void;
  /** the server's hot path in-process, timed with mitata; a scenario has none */
  engine?(ctx: SuiteContext): Promise<void>;
};

/** The URL of connection `index` of a share. */
export const urlOf = (share: Share, index: number): string => share.urls[index % share.urls.length];
