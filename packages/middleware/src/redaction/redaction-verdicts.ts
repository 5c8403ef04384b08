import type { ChatRequest, ChatStream, MiddlewareContext, StreamEvent } from 'ai.matey.core';
import type { GuardrailPhase } from '../guardrails/guardrail.ts';
import type { GuardrailVerdictEvent } from '../guardrails/index.ts';
import { describeCounts } from '../guardrails/pii-guardrail.ts';
import type { RedactionCounts } from './redactor.ts';

/** The guardrail name redaction's verdicts are counted under (`matey_guardrail_verdicts_total`). */
export const REDACTION_GUARDRAIL = 'pii-redaction';

/** Reports one phase of one call as a guardrail verdict: rewrite, block or pass. */
export type ReportRedaction = (phase: GuardrailPhase, counts: RedactionCounts, blocked?: boolean) => void;

/**
 * Redaction's outcome for a call, told to `onVerdict` as a guardrail's would be: once per
 * phase, `rewrite` when something was replaced, `block` when `reject` refused the request,
 * `pass` otherwise. The reason names the categories and counts, never the data.
 */
export function redactionReporter(
  onVerdict: ((event: GuardrailVerdictEvent) => void) | undefined,
  request: ChatRequest,
  context: MiddlewareContext,
): ReportRedaction {
  const keyId = typeof request.metadata?.apiKeyId === 'string' ? request.metadata.apiKeyId : undefined;
  return (phase, counts, blocked = false) => {
    if (!onVerdict) return;
    const found = Object.keys(counts).length > 0;
    const verdict = blocked ? 'block' : found ? 'rewrite' : 'pass';
    try {
      onVerdict({
        guardrail: REDACTION_GUARDRAIL,
        phase,
        verdict,
        ...(found ? { reason: `personal data (${describeCounts(counts)})` } : {}),
        requestId: context.requestId,
        model: request.model,
        keyId,
      });
    } catch {
      // An observer's failure must not change the call.
    }
  };
}

/** The redacted stream, its output verdict reported once it ends, however it ends. */
export async function* reportedAtEnd(
  events: AsyncIterable<StreamEvent> | ChatStream,
  report: () => void,
): AsyncGenerator<StreamEvent> {
  try {
    yield* events;
  } finally {
    report();
  }
}
