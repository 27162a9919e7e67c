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
  /** a byte-counting proxy in front of `target` */
  countingProxy(target: string): Promise<CountingProxy>;
};

/** The servers' own figures, summed over the level's server processes, before the wire layer and at its peak. */
export type ServerFigures = { before?: ServerStats; after?: ServerStats };

export type Suite = {
  /** one of the six, or a user's scenario */
  name: SuiteId;
  /** the metrics it emits, by `layer.key`: the catalogue is the union of the suites' (`metric-catalogue.ts`) */
  metrics: MetricDeclarations;
  /** what its share of the planned work done counts (`wire.answered_pct`, every suite's first wire metric), e.g. "deliveries received" */
  answered: string;
  /** one line for --help and the README */
  description: string;
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
