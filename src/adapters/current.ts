/**
 * The adapter for the runtime this code runs on, imported on demand so that
 * Node never loads the Bun file, and so on.
 *
 * @example
 * ```ts
 * import { currentRuntime } from "./current.ts";
 * const runtime = await currentRuntime();
 * const server = await runtime.serve();
 * console.log(runtime.name, server.url);
 * await server.stop();
 * ```
 */
import type { Runtime, RuntimeName } from "../core/runtime.ts";
import { detectRuntime } from "./system.ts";

export const RUNTIME_NAMES: readonly RuntimeName[] = ["node", "deno", "bun"];

/** The adapter for `name`; it only works on that runtime. */
export async function runtimeByName(name: RuntimeName): Promise<Runtime> {
  switch (name) {
    case "node":
      return (await import("./node.ts")).nodeRuntime;
    case "deno":
      return (await import("./deno.ts")).denoRuntime;
    case "bun":
      return (await import("./bun.ts")).bunRuntime;
    default:
      throw new TypeError(`unknown runtime "${name as string}"; expected one of ${RUNTIME_NAMES.join(", ")}`);
  }
}

/** The adapter for the runtime executing this code (Bun, then Deno, else Node). */
export function currentRuntime(): Promise<Runtime> {
  return runtimeByName(detectRuntime());
}
