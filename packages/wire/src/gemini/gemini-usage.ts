import type { FinishReason, Usage } from 'ai.matey.core';
import type { GeminiUsageMetadata } from './gemini-types.ts';

const CONTENT_FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** Every finish reason Gemini documents: a raw reason in this set is sent back as it came. */
const GEMINI_FINISH_REASONS = new Set([
  ...CONTENT_FILTER_REASONS,
  'STOP',
  'MAX_TOKENS',
  'LANGUAGE',
  'OTHER',
  'MALFORMED_FUNCTION_CALL',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
  'NO_IMAGE',
  'IMAGE_OTHER',
  'MISSING_THOUGHT_SIGNATURE',
  'FINISH_REASON_UNSPECIFIED',
]);

/**
 * Gemini's finish reason in spec terms. Gemini says `STOP` after function calls too, so a reply
 * that made calls finishes with `tool-calls`, as the other protocols say it.
 */
export function finishReasonFromGemini(raw: string | undefined, madeToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return madeToolCalls ? 'tool-calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (raw !== undefined && CONTENT_FILTER_REASONS.has(raw)) return 'content-filter';
  return 'other';
}

/** A spec finish reason as Gemini's, keeping the raw reason when it is already one of Gemini's. */
export function finishReasonToGemini(reason: FinishReason, raw: string | undefined): string {
  if (raw !== undefined && GEMINI_FINISH_REASONS.has(raw)) return raw;
  switch (reason) {
    case 'stop':
    case 'tool-calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content-filter':
      return 'SAFETY';
    default:
      return 'OTHER';
  }
}

/** True when the usage metadata has any token count (stream chunks often carry none). */
export function hasTokenCounts(metadata: GeminiUsageMetadata | undefined): boolean {
  return (
    metadata !== undefined &&
    (metadata.promptTokenCount !== undefined ||
      metadata.candidatesTokenCount !== undefined ||
      metadata.totalTokenCount !== undefined)
  );
}

/**
 * Gemini usage in spec terms. `outputTokens` counts thinking tokens as well as the visible
 * candidates (as OpenAI's `completion_tokens` does, and as Gemini bills them), with the thinking
 * share in `reasoningTokens`; `inputTokens` includes cached and tool-use prompt tokens.
 */
export function usageFromGemini(metadata: GeminiUsageMetadata | undefined): Usage {
  const prompt = (metadata?.promptTokenCount ?? 0) + (metadata?.toolUsePromptTokenCount ?? 0);
  const thoughts = metadata?.thoughtsTokenCount;
  const output = (metadata?.candidatesTokenCount ?? 0) + (thoughts ?? 0);
  const usage: Usage = {
    inputTokens: prompt,
    outputTokens: output,
    totalTokens: metadata?.totalTokenCount ?? prompt + output,
  };
  if (metadata?.cachedContentTokenCount !== undefined)
    usage.cachedInputTokens = metadata.cachedContentTokenCount;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}

/** Spec usage as Gemini's `usageMetadata` (the inverse of `usageFromGemini`). */
export function usageToGemini(usage: Usage): GeminiUsageMetadata {
  const thoughts = usage.reasoningTokens;
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - (thoughts ?? 0)),
    totalTokenCount: usage.totalTokens,
  };
  if (thoughts !== undefined) metadata.thoughtsTokenCount = thoughts;
  if (usage.cachedInputTokens !== undefined) metadata.cachedContentTokenCount = usage.cachedInputTokens;
  return metadata;
}
