/**
 * The shape of one conformance case, and of the groups they form: numbered as
 * the Autobahn|Testsuite cases they correspond to, so a result reads the
 * same as an Autobahn report. A case is a short script of frames sent and the
 * outcomes it accepts (see `case-context.ts`); the flags are Autobahn's
 * per-case overrides.
 */
import type { CaseContext, CloseExpectation } from "./case-context.ts";
import type { JudgeFlags } from "./case-judge.ts";
import type { DeflateOffer } from "./deflate-extension.ts";

export type CaseDefinition = JudgeFlags & {
  id: string;
  description: string;
  expectation: string;
  /** messages come back in the OK outcome: the server must send them back (cases without run against any server) */
  echo: boolean;
  /** the permessage-deflate offers of the handshake (the deflate groups) */
  deflate?: readonly DeflateOffer[];
  /** the longest the case may take, ms; past it the client drops the connection (the case's timers bound it sooner) */
  limitMs?: number;
  script(c: CaseContext): void;
};

/** A numbered section of a group; `summary`: a parameterised one, shown in the docs as one row rather than one per case. */
export type CaseSection = { id: string; title: string; summary?: { sends: string; expects: string } };

export type CaseGroup = {
  id: string;
  title: string;
  /** run only when `--cases` names the group: slow (the limits, the deflate groups) */
  optIn: boolean;
  sections: readonly CaseSection[];
  cases: readonly CaseDefinition[];
};

/** The closes most cases expect. */
export const NORMAL_CLOSE: CloseExpectation = { by: "client", codes: [1000], clean: true };
export const PROTOCOL_ERROR: CloseExpectation = { by: "server", codes: [1002], clean: false };

/** An Autobahn case whose OK outcome is `events` and whose connection the client closes normally once they came. */
export function echoCase(
  id: string,
  description: string,
  expectation: string,
  script: (c: CaseContext) => void,
  extra: Partial<CaseDefinition> = {},
): CaseDefinition {
  return { id, description, expectation, echo: true, script, ...extra };
}

/** A case where the server must fail the connection; `echo` when a valid message goes first. */
export function failCase(
  id: string,
  description: string,
  expectation: string,
  script: (c: CaseContext) => void,
  echo = false,
): CaseDefinition {
  return { id, description, expectation, echo, script };
}
