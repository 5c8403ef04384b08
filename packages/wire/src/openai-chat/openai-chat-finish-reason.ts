import type { FinishReason } from 'ai.matey.core';
import type { OpenAIFinishReason } from './openai-chat-types.ts';

/**
 * The spec finish reason for an OpenAI-style one. Compatible providers add their own
 * (`eos`, Mistral's `model_length` and `error`), mapped where the meaning is clear.
 */
export function finishReasonFromOpenAI(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'eos':
    case 'end_turn':
      return 'stop';
    case 'length':
    case 'model_length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

/** OpenAI's finish reason for a spec one; OpenAI has no `error` or `other`, so those read as `stop`. */
export function finishReasonToOpenAI(reason: FinishReason): OpenAIFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
