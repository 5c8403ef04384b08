import { AiMateyError, ContentFilterError } from 'ai.matey.core';
import type { Guardrail, GuardrailCheck, GuardrailPhase, GuardrailVerdict } from './guardrail.ts';
import type { VerdictTally } from './verdict-tally.ts';

/**
 * The error a block is: a `ContentFilterError` (status 400, code `guardrail_blocked`), which the
 * gateway writes in the caller's format, as a plain error or as a stream's last event.
 */
export function guardrailBlockedError(guardrail: string, phase: GuardrailPhase, reason: string) {
  const what = phase === 'input' ? 'request' : 'answer';
  return new ContentFilterError({
    message: `The ${what} was blocked by guardrail ${guardrail}: ${reason}`,
    code: 'guardrail_blocked',
  });
}

/**
 * Runs each guardrail of the phase on one text, in order: a rewrite hands the next check the new
 * text, a block stops there and throws. A check that throws blocks (fails closed): a check that
 * should let text through when it cannot decide (a webhook) says so itself.
 */
export async function runChecks(
  guardrails: readonly Guardrail[],
  check: GuardrailCheck,
  tally: VerdictTally,
): Promise<string> {
  let text = check.text;
  for (const guardrail of guardrails) {
    const verdict = await judge(guardrail, { ...check, text });
    const reason = verdict.verdict === 'pass' ? undefined : (verdict.reason ?? verdict.verdict);
    tally.add(guardrail.name, check.phase, verdict.verdict, reason);
    if (verdict.verdict === 'block')
      throw verdict.error ?? guardrailBlockedError(guardrail.name, check.phase, reason ?? 'block');
    if (verdict.verdict === 'rewrite') text = verdict.text;
  }
  return text;
}

async function judge(guardrail: Guardrail, check: GuardrailCheck): Promise<GuardrailVerdict> {
  try {
    const verdict = await guardrail.check(check);
    if (isVerdict(verdict)) return verdict;
    return { verdict: 'block', reason: 'the check returned no verdict' };
  } catch (error) {
    if (check.signal.aborted) throw error;
    return { verdict: 'block', reason: `the check failed (${(error as Error).name})` };
  }
}

function isVerdict(value: unknown): value is GuardrailVerdict {
  if (typeof value !== 'object' || value === null) return false;
  const { verdict, text, error } = value as { verdict?: unknown; text?: unknown; error?: unknown };
  if (verdict === 'rewrite') return typeof text === 'string';
  if (verdict === 'block' && error !== undefined) return AiMateyError.isInstance(error);
  return verdict === 'pass' || verdict === 'flag' || verdict === 'block';
}
