import type { FinishReason } from 'ai.matey.core';

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
  pause_turn: 'other',
};

/**
 * Anthropic's `stop_reason` as a spec finish reason. In JSON mode the forced `json` tool call
 * is the answer itself (decoded as text), so its `tool_use` stop is a plain `stop`.
 */
export function finishReasonFromAnthropic(
  stopReason: string | null | undefined,
  jsonAnswer = false,
): FinishReason {
  if (stopReason === 'tool_use' && jsonAnswer) return 'stop';
  return (stopReason ? FINISH_REASONS[stopReason] : undefined) ?? 'other';
}

/**
 * A spec finish reason as Anthropic's `stop_reason`: the provider's own value when it was
 * Anthropic's and still means the same thing, otherwise the nearest one.
 */
export function stopReasonToAnthropic(
  finishReason: FinishReason,
  rawFinishReason: string | undefined,
  stopSequence: string | undefined,
): string {
  if (rawFinishReason && FINISH_REASONS[rawFinishReason] === finishReason) return rawFinishReason;
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return stopSequence !== undefined ? 'stop_sequence' : 'end_turn';
  }
}
