import type { Usage } from 'ai.matey.core';
import type { OpenAIUsage } from './openai-chat-types.ts';

/** Spec usage from OpenAI's, with cached (`prompt_tokens_details`, DeepSeek's `prompt_cache_hit_tokens`) and reasoning tokens. */
export function usageFromOpenAI(usage: OpenAIUsage): Usage {
  const inputTokens = numberOr(usage.prompt_tokens, 0);
  const completionTokens = numberOr(usage.completion_tokens, 0);
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  const totalTokens = numberOr(usage.total_tokens, inputTokens + completionTokens);
  // OpenAI counts reasoning inside completion_tokens; xAI does not (its total is prompt +
  // completion + reasoning). The spec's outputTokens always includes reasoning, so add it
  // back when the total shows it was left out — otherwise cost is undercounted.
  const reasoningLeftOut =
    typeof reasoning === 'number' &&
    reasoning > 0 &&
    totalTokens === inputTokens + completionTokens + reasoning;
  const outputTokens = reasoningLeftOut ? completionTokens + reasoning : completionTokens;
  const result: Usage = { inputTokens, outputTokens, totalTokens };
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens;
  if (typeof cached === 'number') result.cachedInputTokens = cached;
  if (typeof reasoning === 'number') result.reasoningTokens = reasoning;
  return result;
}

/** OpenAI's usage object for spec usage; the detail objects appear only when the figures are known. */
export function usageToOpenAI(usage: Usage): OpenAIUsage {
  const result: OpenAIUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedInputTokens !== undefined)
    result.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined)
    result.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return result;
}

/** Reads a usage object from a body or chunk: top-level `usage`, else Groq's `x_groq.usage`. */
export function findUsage(payload: Record<string, unknown>): OpenAIUsage | undefined {
  if (isUsage(payload.usage)) return payload.usage;
  const groq = payload.x_groq;
  if (typeof groq === 'object' && groq !== null && isUsage((groq as Record<string, unknown>).usage))
    return (groq as { usage: OpenAIUsage }).usage;
  return undefined;
}

function isUsage(value: unknown): value is OpenAIUsage {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
