/**
 * The eight load levels of the seed guide, exactly, and custom levels.
 *
 * @example
 * ```ts
 * import { LEVELS, levelsUpToOperations } from "./levels.ts";
 * levelsUpToOperations(100_000).map((l) => l.name); // minimal, light, low, medium
 * ```
 */
import * as v from "valibot";
import type { IntFrom, Obj, Str } from "./valibot-types.ts";

const count: IntFrom<1> = v.pipe(v.number(), v.integer(), v.minValue(1));

// the schema carries its valibot type: JSR refuses inferred ones in the public API (see valibot-types.ts)
export const LevelSchema: Obj<{
  readonly name: v.SchemaWithPipe<readonly [Str, v.RegexAction<string, string>]>;
  readonly operations: IntFrom<1>;
  readonly connections: IntFrom<1>;
  readonly messagesPerConnection: IntFrom<1>;
  readonly subscribers: IntFrom<1>;
}> = v.object({
  name: v.pipe(v.string(), v.regex(/^[A-Za-z][\w-]*$/, "a level name starts with a letter and holds letters, digits, _ or -")),
  operations: count,
  connections: count,
  messagesPerConnection: count,
  subscribers: count,
});
export type Level = v.InferOutput<typeof LevelSchema>;

export const LEVEL_NAMES = ["minimal", "light", "low", "medium", "high", "veryHigh", "extreme", "maximum"] as const;
export type LevelName = (typeof LEVEL_NAMES)[number];

const seed = (name: LevelName, operations: number, connections: number, subscribers: number): Level => ({
  name,
  operations,
  connections,
  messagesPerConnection: 100,
  subscribers,
});

export const LEVELS: readonly Level[] = Object.freeze([
  seed("minimal", 1_000, 10, 5),
  seed("light", 10_000, 100, 20),
  seed("low", 50_000, 500, 50),
  seed("medium", 100_000, 1_000, 100),
  seed("high", 500_000, 5_000, 200),
  seed("veryHigh", 1_000_000, 10_000, 500),
  seed("extreme", 5_000_000, 50_000, 1_000),
  seed("maximum", 9_900_000, 99_000, 5_000),
]);

/** The operations ceiling of `--quick`: up to medium. */
export const QUICK_MAX_OPERATIONS = 100_000;

export function isLevelName(name: string): name is LevelName {
  return (LEVEL_NAMES as readonly string[]).includes(name);
}

export function levelByName(name: LevelName): Level {
  return LEVELS.find((l) => l.name === name)!;
}

/** Every seed level whose operations are at most `max`. */
export function levelsUpToOperations(max: number): Level[] {
  return LEVELS.filter((l) => l.operations <= max);
}

/** Every seed level from minimal up to and including `name`. */
export function levelsUpTo(name: LevelName): Level[] {
  return LEVELS.slice(0, LEVEL_NAMES.indexOf(name) + 1);
}

/** Validates a custom level; throws a valibot error that names the bad field. */
export function parseLevel(input: unknown): Level {
  return v.parse(LevelSchema, input);
}
