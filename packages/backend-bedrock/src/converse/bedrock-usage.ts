import { emptyUsage, type FinishReason, type Usage } from 'ai.matey.core';
import type { BedrockUsage } from './bedrock-types.ts';

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Bedrock's `TokenUsage` in the spec's terms. Bedrock counts cache reads and writes apart from
 * `inputTokens`; the spec's `inputTokens` includes them, with the cache figures saying how many.
 */
export function usageFromBedrock(usage: BedrockUsage | undefined): Usage {
  if (!usage) return emptyUsage();
  const cacheRead = count(usage.cacheReadInputTokens);
  const cacheWrite = count(usage.cacheWriteInputTokens);
  const inputTokens = count(usage.inputTokens) + cacheRead + cacheWrite;
  const outputTokens = count(usage.outputTokens);
  const result: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (usage.cacheReadInputTokens !== undefined) result.cachedInputTokens = cacheRead;
  if (usage.cacheWriteInputTokens !== undefined) result.cacheWriteTokens = cacheWrite;
  return result;
}

/** The spec's usage as Bedrock reports it (the inverse of `usageFromBedrock`). */
export function usageToBedrock(usage: Usage): BedrockUsage {
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const inputTokens = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  return {
    inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens !== undefined ? { cacheReadInputTokens: cacheRead } : {}),
    ...(usage.cacheWriteTokens !== undefined ? { cacheWriteInputTokens: cacheWrite } : {}),
  };
}

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
};

/**
 * Bedrock's `stopReason` as a spec finish reason. In JSON mode the forced `json` tool is the
 * answer, not a tool call: its `tool_use` finishes as `stop`.
 */
export function finishReasonFromBedrock(stopReason: string | undefined, onlyJson = false): FinishReason {
  if (stopReason === undefined) return 'other';
  if (stopReason === 'tool_use' && onlyJson) return 'stop';
  return Object.hasOwn(FINISH_REASONS, stopReason) ? (FINISH_REASONS[stopReason] ?? 'other') : 'other';
}

/** The `stopReason` Bedrock sends for a spec finish: its own raw reason when it is one of Bedrock's. */
export function finishReasonToBedrock(finishReason: FinishReason, raw: string | undefined): string {
  if (raw !== undefined && Object.hasOwn(FINISH_REASONS, raw)) return raw;
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'content_filtered';
    default:
      return 'end_turn';
  }
}
