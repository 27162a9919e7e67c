/**
 * The result document's fields as a markdown table, for docs/results.md: walked
 * from `ResultSchema` itself, so the reference lists exactly what
 * `parseResult` accepts (a test checks the doc holds this table).
 */
import type * as v from "valibot";
import { markdownTable } from "../src/report/_table.ts";
import { ResultSchema } from "../src/model/result.ts";

/** What the walker reads of a valibot schema or action at run time. */
type Node = {
  kind: string;
  type: string;
  pipe?: readonly Node[];
  entries?: Record<string, Node>;
  item?: Node;
  items?: readonly Node[];
  value?: Node;
  wrapped?: Node;
  options?: readonly unknown[];
  literal?: unknown;
  requirement?: unknown;
  message?: unknown;
};

type Described = { type: string; rules: string[]; optional: boolean; inner?: Node };

const code = (x: unknown): string => "`" + (typeof x === "string" ? JSON.stringify(x) : String(x)) + "`";

/** The base schema and every validation of a (possibly nested) pipe, in order. */
function unpipe(node: Node): { base: Node; actions: Node[] } {
  if (!node.pipe) return { base: node, actions: [] };
  const [first, ...rest] = node.pipe;
  const inner = unpipe(first);
  return { base: inner.base, actions: [...inner.actions, ...rest] };
}

function rule(action: Node): string | undefined {
  switch (action.type) {
    case "integer":
    case "finite":
      return undefined; // part of the type's name
    case "min_value":
      return `≥ ${action.requirement}`;
    case "max_value":
      return `≤ ${action.requirement}`;
    case "regex":
      return `matches ${code(action.requirement)}`;
    case "iso_timestamp":
      return "ISO 8601 timestamp";
    default:
      return typeof action.message === "string" ? action.message : action.type;
  }
}

function describe(schema: Node): Described {
  const { base, actions } = unpipe(schema);
  // a pipe that narrows another (a count that must be ≥ 1) keeps only its last bound of each kind
  const last = (type: string) => actions.findLast((a) => a.type === type);
  const kept = actions.filter((a) => !["min_value", "max_value"].includes(a.type) || a === last(a.type));
  const rules = kept.map(rule).filter((r): r is string => r !== undefined);
  if (actions.some((a) => a.type === "integer")) return { type: "integer", rules, optional: false };
  switch (base.type) {
    case "optional": {
      const inner = describe(base.wrapped!);
      return { ...inner, rules: [...inner.rules, ...rules], optional: true };
    }
    case "nullable": {
      const inner = describe(base.wrapped!);
      return { ...inner, type: `${inner.type} or null`, rules: [...inner.rules, ...rules] };
    }
    case "picklist":
      return { type: base.options!.map(code).join(" | "), rules, optional: false };
    case "literal":
      return { type: code(base.literal), rules, optional: false };
    case "array":
      return { type: "array", rules, optional: false, inner: base.item };
    case "record":
      return { type: "map", rules, optional: false, inner: base.value };
    case "tuple":
      return {
        type: `[${base.items!.map((i) => describe(i).type + describe(i).rules.map((r) => ` ${r}`).join("")).join(", ")}]`,
        rules,
        optional: false,
      };
    default:
      return { type: base.type, rules, optional: false, inner: base.type === "object" ? base : undefined };
  }
}

/** One row per field; an object met a second time points at its first place instead of repeating it. */
function rows(schema: Node, path: string, seen: Map<Node, string>, out: string[][]): void {
  const { base } = unpipe(schema);
  for (const [key, field] of Object.entries(base.entries ?? {})) {
    const here = path ? `${path}.${key}` : key;
    const d = describe(field);
    let type = d.type;
    let next = d.inner;
    let nextPath = here;
    // arrays of arrays do not occur; an array or map of objects walks into its items
    if (type === "array" || type === "map") {
      const item = describe(next!);
      nextPath = type === "array" ? `${here}[]` : `${here}.*`;
      const of = /^[a-z]+$/.test(item.type) ? `${item.type}s` : item.type;
      type = `${type === "array" ? "array of" : "map of names to"} ${of}${item.rules.length ? ` (${item.rules.join(", ")})` : ""}`;
      next = item.inner;
    }
    if (next && seen.has(next)) {
      out.push([`\`${here}\``, `${type}, as \`${seen.get(next)}\``, d.rules.join(", "), d.optional ? "no" : "yes"]);
      continue;
    }
    out.push([`\`${here}\``, type, d.rules.join(", "), d.optional ? "no" : "yes"]);
    if (next) {
      seen.set(next, nextPath);
      rows(next, nextPath, seen, out);
    }
  }
}

export function schemaTable(schema: v.GenericSchema = ResultSchema): string {
  const out: string[][] = [];
  rows(schema as unknown as Node, "", new Map(), out);
  return markdownTable({ header: ["field", "type", "rules", "required"], rows: out });
}
