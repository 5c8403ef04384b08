import { emptyUsage, type Usage } from 'ai.matey.core';
import { isRecord } from './responses-metadata.ts';

/**
 * Spec usage from a Responses `usage` object. Its `input_tokens` already counts the cached ones
 * and its `output_tokens` the reasoning ones, as the spec does.
 */
export function usageFromResponses(usage: unknown): Usage {
  if (!isRecord(usage)) return emptyUsage();
  const inputTokens = numberOr(usage.input_tokens, 0);
  const outputTokens = numberOr(usage.output_tokens, 0);
  const result: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: numberOr(usage.total_tokens, inputTokens + outputTokens),
  };
  const cached = isRecord(usage.input_tokens_details) ? usage.input_tokens_details.cached_tokens : undefined;
  const reasoning = isRecord(usage.output_tokens_details)
    ? usage.output_tokens_details.reasoning_tokens
    : undefined;
  if (typeof cached === 'number') result.cachedInputTokens = cached;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  return result;
}

/** The Responses `usage` object for spec usage; the detail objects are always present, as OpenAI sends them. */
export function usageToResponses(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
