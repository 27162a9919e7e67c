/**
 * The count of a conformance sample's runs over a level: verdicts, protocol
 * violations (a FAILED case whose connection opened), connections that never
 * opened, the server's close codes, the deflate handshakes, and each case
 * that went wrong with its first reason and frames. The level's verdict:
 * fail on a violation or a deflate negotiation that failed where the idle
 * server negotiated; warn on a connection that never opened or a NON-STRICT
 * the idle round did not have.
 */
import { type CaseResult, type ConformanceVerdict, noCounts, type VerdictCounts } from "../model/conformance-case.ts";
import type { LevelConformance } from "../model/conformance-under-load.ts";
import type { Verdict } from "../model/result-names.ts";
import type { CaseDefinition } from "../conformance/case-definition.ts";

/** What the idle round saw, which the levels are held to. */
export type IdleBaseline = { verdicts: ReadonlyMap<string, ConformanceVerdict>; deflate: boolean };

export class SampleTally {
  rounds = 0;
  readonly verdicts = new Map<string, ConformanceVerdict>();
  readonly #idle: IdleBaseline | undefined;
  #runs = 0;
  readonly #counts: VerdictCounts = noCounts();
  #violations = 0;
  #unopened = 0;
  #newNonStrict = 0;
  readonly #closeCodes: Record<string, number> = {};
  readonly #deflate = { offered: 0, negotiated: 0, failures: 0 };
  readonly #failures = new Map<string, LevelConformance["failures"][number]>();

  constructor(idle: IdleBaseline | undefined) {
    this.#idle = idle;
  }

  add(definition: CaseDefinition, result: CaseResult): void {
    this.#runs++;
    this.#counts[result.verdict]++;
    this.verdicts.set(result.id, result.verdict);
    const opened = result.close !== undefined;
    if (!opened) this.#unopened++;
    else {
      const code = result.close!.code === undefined ? "none" : String(result.close!.code);
      this.#closeCodes[code] = (this.#closeCodes[code] ?? 0) + 1;
      if (result.verdict === "FAILED") this.#violations++;
    }
    if (result.verdict === "NON-STRICT" && this.#idle && this.#idle.verdicts.get(result.id) !== "NON-STRICT") this.#newNonStrict++;
    if (definition.deflate && opened) {
      this.#deflate.offered++;
      if (result.compression) this.#deflate.negotiated++;
      else if ((this.#idle?.deflate ?? false) || result.reason.startsWith("permessage-deflate:")) this.#deflate.failures++;
    }
    if (result.verdict === "OK" || result.verdict === "INFORMATIONAL") return;
    const key = `${result.id} ${result.verdict}`;
    const seen = this.#failures.get(key);
    if (seen) seen.count++;
    else {this.#failures.set(key, {
        id: result.id,
        verdict: result.verdict,
        count: 1,
        reason: result.reason,
        ...(result.wire ? { wire: result.wire } : {}),
      });}
  }

  summary(): LevelConformance {
    let verdict: Verdict = "pass";
    if (this.#runs === 0) verdict = "none";
    else if (this.#violations > 0 || this.#deflate.failures > 0) verdict = "fail";
    else if (this.#unopened > 0 || this.#newNonStrict > 0) verdict = "warn";
    return {
      rounds: this.rounds,
      runs: this.#runs,
      counts: { ...this.#counts },
      violations: this.#violations,
      unopened: this.#unopened,
      closeCodes: { ...this.#closeCodes },
      deflate: { ...this.#deflate },
      failures: [...this.#failures.values()],
      verdict,
    };
  }
}
