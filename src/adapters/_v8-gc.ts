// https://nodejs.org/api/v8.html#v8setflagsfromstringflags
/**
 * A full garbage collection on V8 (Node, and Deno through its Node
 * compatibility), for memory readings that measure what is live rather than
 * what the collector has not reached yet: `--expose-gc` set at run time, and
 * the `gc` function taken from a fresh context, where the flag applies.
 */
import v8 from "node:v8";
import vm from "node:vm";

let gc: (() => void) | null | undefined;

/** Collects what it can; false when this V8 refuses the flag (the reading is then taken without it). */
export function collectV8Garbage(): boolean {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      const found: unknown = vm.runInNewContext("gc");
      gc = typeof found === "function" ? (found as () => void) : null;
    } catch {
      gc = null;
    }
  }
  gc?.();
  return gc !== null;
}
