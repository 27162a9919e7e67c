/** What an adapter passes to the hub: the policy, limits and the runtime's abilities. */
import type { Policy } from "../protocol/policy.ts";

export type HubOptions = {
  /** roles, tokens and channel rules; DEFAULT_POLICY when absent */
  policy?: Policy;
  /** frames longer than this (UTF-16 code units) are refused with `too_large`; 1 MiB by default */
  maxFrameBytes?: number;
};
