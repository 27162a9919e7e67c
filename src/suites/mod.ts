/** The six suites, in the seed guide's order. */
import type { SuiteName } from "../model/result.ts";
import { broadcastSuite } from "./broadcast.ts";
import { compressionSuite } from "./compression.ts";
import { connectionSuite } from "./connection.ts";
import { messageSuite } from "./message.ts";
import { permissionSuite } from "./permission.ts";
import { subscriptionSuite } from "./subscription.ts";
import type { Suite } from "./suite.ts";

export type { Suite, SuiteContext } from "./suite.ts";
export { SuiteRecorder } from "./suite-recorder.ts";

export const SUITES: Readonly<Record<SuiteName, Suite>> = {
  connection: connectionSuite,
  message: messageSuite,
  subscription: subscriptionSuite,
  broadcast: broadcastSuite,
  permission: permissionSuite,
  compression: compressionSuite,
};
