/**
 * A small JSON Schema (draft-07) validator for the tests: the keywords the
 * generated result schema uses, and an error for any keyword it does not
 * know, so a schema that grows past it fails loudly instead of passing.
 */

type Schema = Record<string, unknown>;

const KNOWN = new Set([
  "$schema",
  "title",
  "$comment",
  "description",
  "type",
  "const",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "pattern",
  "format",
  "anyOf",
  "oneOf",
]);

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Every violation of `schema` by `value`, as `path: problem`; empty when it validates. */
export function validate(schema: Schema, value: unknown, path = "$"): string[] {
  const errors: string[] = [];
  const fail = (problem: string) => errors.push(`${path}: ${problem}`);
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) fail(`the test validator does not know the keyword "${key}"`);
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = ([] as unknown[]).concat(schema.type);
    const ok = types.some((x) => x === t || (x === "number" && t === "integer"));
    if (!ok) return [...errors, `${path}: expected ${types.join(" or ")}, got ${t}`];
  }
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    fail(`not one of ${JSON.stringify(schema.enum)}`);
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => validate(s as Schema, value, path).length === 0)) {
    fail("matches no anyOf branch");
  }
  if (Array.isArray(schema.oneOf)) {
    const matched = schema.oneOf.filter((s) => validate(s as Schema, value, path).length === 0).length;
    if (matched !== 1) fail(`matches ${matched} oneOf branches, not one`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) fail(`below the minimum ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) fail(`above the maximum ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) fail(`does not match ${schema.pattern}`);
    if (schema.format === "date-time" && !ISO_DATE_TIME.test(value)) fail("not a date-time");
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) fail(`fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) fail(`more than ${schema.maxItems} items`);
    const items = schema.items;
    value.forEach((item, i) => {
      const s = Array.isArray(items) ? (items[i] as Schema | undefined) : (items as Schema | undefined);
      if (s) errors.push(...validate(s, item, `${path}[${i}]`));
    });
  }
  if (t === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in object)) fail(`missing required "${name}"`);
    for (const [name, v] of Object.entries(object)) {
      if (properties[name]) errors.push(...validate(properties[name], v, `${path}.${name}`));
      else if (schema.additionalProperties === false) fail(`unexpected property "${name}"`);
      else if (typeof schema.additionalProperties === "object") {
        errors.push(...validate(schema.additionalProperties as Schema, v, `${path}.${name}`));
      }
      if (typeof schema.propertyNames === "object") {
        errors.push(...validate(schema.propertyNames as Schema, name, `${path}.${name} (name)`));
      }
    }
  }
  return errors;
}
