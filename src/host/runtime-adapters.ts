/**
 * The adapter for the runtime this code runs on, imported on demand so that
 * Node never loads the Bun file, and so on.
 *
 * @example
 * ```ts
 * import { currentRuntime } from "./runtime-adapters.ts";
 * const runtime = await currentRuntime();
 * const server = await runtime.serve();
 * console.log(runtime.name, server.url);
 * await server.stop();
 * ```
 */
import { type Runtime, RUNTIME_NAMES, type RuntimeName } from "../model/runtime-contract.ts";
import { detectRuntime } from "./system-info.ts";

/** The adapter for `name`; it only works on that runtime. */
export async function runtimeByName(name: RuntimeName): Promise<Runtime> {
  switch (name) {
    case "node":
      return (await import("../adapters/node.ts")).nodeRuntime;
    case "deno":
      return (await import("../adapters/deno.ts")).denoRuntime;
    case "bun":
      return (await import("../adapters/bun.ts")).bunRuntime;
    default:
      throw new TypeError(`unknown runtime "${name as string}"; expected one of ${RUNTIME_NAMES.join(", ")}`);
  }
}

/** The adapter for the runtime executing this code (Bun, then Deno, else Node). */
export function currentRuntime(): Promise<Runtime> {
  return runtimeByName(detectRuntime());
}
