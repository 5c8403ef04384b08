import type { ChatRequest, ChatResponse } from 'ai.matey.core';
import type { Guardrail, GuardrailCheck } from './guardrail.ts';
import { runChecks } from './run-checks.ts';
import type { VerdictTally } from './verdict-tally.ts';

/**
 * Runs the output checks on each text part of a plain reply, whole (`final: true`), and returns
 * the reply with any rewrites in place. A block throws: the caller gets an error, not the answer.
 * Reasoning (signed by the provider) and tool calls are not checked.
 */
export async function checkOutput(
  response: ChatResponse,
  guardrails: readonly Guardrail[],
  tally: VerdictTally,
  facts: Pick<GuardrailCheck, 'keyId' | 'signal'> & { request: ChatRequest },
): Promise<ChatResponse> {
  if (guardrails.length === 0) return response;
  const content = [];
  for (const part of response.content) {
    if (part.type !== 'text') {
      content.push(part);
      continue;
    }
    const check: GuardrailCheck = { phase: 'output', text: part.text, before: '', final: true, ...facts };
    content.push({ ...part, text: await runChecks(guardrails, check, tally) });
  }
  return { ...response, content };
}
