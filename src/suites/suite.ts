/**
 * What a suite is and what it gets. A suite measures one dimension at one
 * level: its wire layer over real sockets, then its engine layer in-process.
 * It reports through the recorder as it goes, so a suite that throws
 * part-way still keeps every figure it measured.
 */
import type { Level } from "../core/levels.ts";
import type { CountingProxy, Runtime } from "../core/runtime.ts";
import type { Plan, SuiteName } from "../report/schema.ts";
import type { ServerStats } from "../protocol/messages.ts";
import type { SuiteRecorder } from "./recorder.ts";

export type SuiteContext = {
  runtime: Runtime;
  /** the server under test */
  url: string;
  /** whether that server offers permessage-deflate */
  serverDeflate: boolean;
  level: Level;
  plan: Plan;
  signal: AbortSignal;
  record: SuiteRecorder;
  /** the server's own figures, asked over the protocol; undefined when it cannot tell */
  serverStats(): Promise<ServerStats | undefined>;
  /** a byte-counting proxy in front of `target` */
  countingProxy(target: string): Promise<CountingProxy>;
};

export type Suite = {
  name: SuiteName;
  /** one line for --help and the README */
  description: string;
  /** real frames over real sockets */
  wire(ctx: SuiteContext): Promise<void>;
  /** the server's hot path in-process, timed with mitata */
  engine(ctx: SuiteContext): Promise<void>;
};
