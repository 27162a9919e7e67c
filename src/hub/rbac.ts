/**
 * Role-based access decisions, compiled once from a `Policy` so that each
 * check is a set lookup plus a few `startsWith` calls, with no allocation.
 *
 * Channel patterns: `*` matches every channel, `prefix.*` every channel that
 * starts with `prefix.` (at any depth), anything else only itself.
 */
import type { Action } from "../protocol/messages.ts";
import { OPEN_ACTIONS, type Policy, type Role } from "../protocol/policy.ts";

export type Rbac = {
  /** whether `role` may make `action` on `ch`; `OPEN_ACTIONS` are always allowed */
  decide(role: Role, action: Action, ch: string): boolean;
  /** the role a token grants, or undefined for an unknown token */
  roleFor(token: string): Role | undefined;
};

type CompiledRule = {
  allActions: boolean;
  actions: ReadonlySet<Action>;
  allChannels: boolean;
  exact: ReadonlySet<string>;
  /** each prefix keeps its trailing dot: "news." for "news.*" */
  prefixes: readonly string[];
};

function compileRule(actions: readonly Action[] | "*", channels: readonly string[]): CompiledRule {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  let allChannels = false;
  for (const pattern of channels) {
    if (pattern === "*") allChannels = true;
    else if (pattern.endsWith(".*")) prefixes.push(pattern.slice(0, -1));
    else exact.add(pattern);
  }
  return {
    allActions: actions === "*",
    actions: new Set(actions === "*" ? [] : actions),
    allChannels,
    exact,
    prefixes,
  };
}

function channelAllowed(rule: CompiledRule, ch: string): boolean {
  if (rule.allChannels || rule.exact.has(ch)) return true;
  const prefixes = rule.prefixes;
  for (let i = 0; i < prefixes.length; i++) if (ch.startsWith(prefixes[i])) return true;
  return false;
}

export function compilePolicy(policy: Policy): Rbac {
  // Maps, not the policy's plain objects: a token like "__proto__" must not reach Object.prototype
  const rules = new Map<string, CompiledRule>();
  for (const [role, rule] of Object.entries(policy.roles)) rules.set(role, compileRule(rule.actions, rule.channels));
  const tokens = new Map<string, Role>(Object.entries(policy.tokens));
  const open = new Set<Action>(OPEN_ACTIONS);

  return {
    decide(role, action, ch) {
      if (open.has(action)) return true;
      const rule = rules.get(role);
      if (rule === undefined) return false;
      return (rule.allActions || rule.actions.has(action)) && channelAllowed(rule, ch);
    },
    roleFor: (token) => tokens.get(token),
  };
}
