import type { Usage } from 'ai.matey.core';
import type { AnthropicUsage } from './anthropic-types.ts';

/**
 * Anthropic's usage as spec usage.
 *
 * Anthropic's `input_tokens` counts only the uncached part of the prompt; cache reads and cache
 * writes are reported beside it. The spec's `inputTokens` is the whole prompt (cached included,
 * as OpenAI reports it), so both cache figures are added into it, and also kept apart as
 * `cachedInputTokens` (reads) and `cacheWriteTokens` (writes) for pricing. A cache figure is set
 * only when Anthropic sent it, so encoding the spec usage back gives the same body.
 */
export function usageFromAnthropic(usage: AnthropicUsage | undefined): Usage {
  const uncached = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens;
  const cacheWrite = usage?.cache_creation_input_tokens;
  const inputTokens = uncached + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const outputTokens = usage?.output_tokens ?? 0;
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (typeof cacheRead === 'number') result.cachedInputTokens = cacheRead;
  if (typeof cacheWrite === 'number') result.cacheWriteTokens = cacheWrite;
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') result.reasoningTokens = thinking;
  return result;
}

/** Spec usage as Anthropic's: the cached figures are taken back out of `input_tokens`. */
export function usageToAnthropic(usage: Usage): AnthropicUsage {
  const cacheRead = usage.cachedInputTokens;
  const cacheWrite = usage.cacheWriteTokens;
  const result: AnthropicUsage = {
    input_tokens: Math.max(0, usage.inputTokens - (cacheRead ?? 0) - (cacheWrite ?? 0)),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: cacheWrite ?? null,
    cache_read_input_tokens: cacheRead ?? null,
  };
  if (usage.reasoningTokens !== undefined)
    result.output_tokens_details = { thinking_tokens: usage.reasoningTokens };
  return result;
}

/**
 * Folds a `message_delta` usage into the usage so far. Its counters are cumulative whole-message
 * totals (input tokens may arrive only here), so a present field replaces, never adds: the same
 * rule as the SDK's `MessageStream`.
 */
export function mergeAnthropicUsage(
  current: AnthropicUsage,
  update: AnthropicUsage | undefined,
): AnthropicUsage {
  if (!update) return current;
  const merged: AnthropicUsage = { ...current };
  for (const key of [
    'input_tokens',
    'output_tokens',
    'cache_creation_input_tokens',
    'cache_read_input_tokens',
  ] as const) {
    const value = update[key];
    if (typeof value === 'number') merged[key] = value;
  }
  if (update.output_tokens_details != null) merged.output_tokens_details = update.output_tokens_details;
  return merged;
}
