import type { GuardrailPhase, GuardrailVerdictName, GuardrailVerdictRecord } from './guardrail.ts';

/**
 * The verdicts of one call, one record per guardrail, phase and verdict: a stream checked in
 * twenty windows that all pass is one `pass`, and a check that flagged once and passed
 * otherwise is one `flag` (a pass is reported only when nothing else was).
 */
export class VerdictTally {
  readonly #seen = new Map<string, GuardrailVerdictRecord>();
  readonly #reported = new Set<string>();

  add(guardrail: string, phase: GuardrailPhase, verdict: GuardrailVerdictName, reason?: string): void {
    const key = `${guardrail}\n${phase}\n${verdict}`;
    if (!this.#seen.has(key)) {
      this.#seen.set(key, { guardrail, phase, verdict, ...(reason === undefined ? {} : { reason }) });
    }
  }

  /** The records of a phase not reported yet (each phase is reported once it is over). */
  take(phase: GuardrailPhase): GuardrailVerdictRecord[] {
    const records = [...this.#seen.entries()].filter(
      ([key, record]) => record.phase === phase && !this.#reported.has(key),
    );
    const judged = new Set(records.filter(([, r]) => r.verdict !== 'pass').map(([, r]) => r.guardrail));
    for (const [key] of records) this.#reported.add(key);
    return records
      .map(([, record]) => record)
      .filter((record) => record.verdict !== 'pass' || !judged.has(record.guardrail));
  }

  /** The flags so far, as `x-matey-guardrail` shows them: `name: reason`. */
  flags(phase: GuardrailPhase): string[] {
    return [...this.#seen.values()]
      .filter((record) => record.phase === phase && record.verdict === 'flag')
      .map((record) => `${record.guardrail}: ${record.reason ?? 'flagged'}`);
  }
}
