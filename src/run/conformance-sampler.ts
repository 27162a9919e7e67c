/**
 * `--conform`: the conformance sample (`LOAD_SAMPLE`, one case per distinct
 * behaviour) run once on the idle server before the first level, then in
 * rounds on extra connections while each level's suites load it, one case
 * at a time. A round always finishes (so every level sees every case), rounds
 * stop when the level's suites end, and at most `MAX_ROUNDS` run. Under load
 * a slow answer is not a violation: every kill timer waits the plan's
 * timeout at least.
 */
import type { ConformanceVerdict } from "../model/conformance-case.ts";
import type { LevelConformance, RunConformance } from "../model/conformance-under-load.ts";
import type { Runtime } from "../model/runtime-contract.ts";
import { caseById, LOAD_SAMPLE, SAMPLE_MESSAGE_LIMIT } from "../conformance/case-catalogue.ts";
import type { CaseDefinition } from "../conformance/case-definition.ts";
import { runCase } from "../conformance/case-runner.ts";
import { DIALECTS } from "../conformance/echo-dialects.ts";
import type { Target } from "../conformance/case-connection.ts";
import type { Profile } from "../profiles/profile.ts";
import { SampleTally } from "./conformance-tally.ts";

/** Rounds one level may run: each is a few dozen connections, so this bounds a level that never ends. */
export const MAX_ROUNDS = 500;

export type SamplerSetup = { runtime: Runtime; target: Target; profile: Profile; patienceMs: number; signal: AbortSignal };

/** How the profile's server sends messages back; `any`: not known, so only the cases that need no echo run. */
export function sampleProfile(profile: Profile): RunConformance["profile"] {
  if (profile.reference) return "wsstress";
  return profile.name === "echo" ? "echo" : "any";
}

export type Sampler = { stop(): Promise<LevelConformance> };

export type Conformance = {
  /** what the result records: the sample, the profile and the idle round */
  record: RunConformance;
  /** starts a level's rounds */
  start(): Sampler;
};

async function round(cases: readonly CaseDefinition[], setup: SamplerSetup, tally: SampleTally, whole: boolean): Promise<boolean> {
  const profile = sampleProfile(setup.profile);
  for (const definition of cases) {
    if (setup.signal.aborted) return false;
    const result = await runCase(definition, {
      runtime: setup.runtime,
      target: setup.target,
      dialect: DIALECTS[profile === "wsstress" ? "wsstress" : "echo"],
      patienceMs: setup.patienceMs,
      messageLimit: SAMPLE_MESSAGE_LIMIT,
    });
    tally.add(definition, result);
  }
  if (whole) tally.rounds++;
  return true;
}

/** Runs the idle round and returns what starts the levels' rounds. */
export async function startConformance(setup: SamplerSetup): Promise<Conformance> {
  const profile = sampleProfile(setup.profile);
  const cases = LOAD_SAMPLE.map((id) => caseById(id)!).filter((c) => profile !== "any" || !c.echo);
  const idleTally = new SampleTally(undefined);
  await round(cases, setup, idleTally, true);
  const idle = idleTally.summary();
  const idleVerdicts = new Map<string, ConformanceVerdict>(idleTally.verdicts);
  return {
    record: { sample: cases.map((c) => c.id), profile, idle },
    start() {
      const tally = new SampleTally({ verdicts: idleVerdicts, deflate: idle.deflate.negotiated > 0 });
      let stopping = false;
      const loop = (async () => {
        for (let n = 0; n < MAX_ROUNDS; n++) {
          if (!(await round(cases, setup, tally, true)) || stopping) return;
        }
      })();
      return {
        async stop() {
          stopping = true;
          await loop;
          return tally.summary();
        },
      };
    },
  };
}
