import type { FinishReason } from 'ai.matey.core';

/** Cohere's `finish_reason` as a spec reason (v2: COMPLETE, STOP_SEQUENCE, MAX_TOKENS, TOOL_CALL, ERROR, TIMEOUT). */
export function finishReasonFromCohere(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return 'stop';
    case 'MAX_TOKENS':
    case 'ERROR_LIMIT':
      return 'length';
    case 'TOOL_CALL':
      return 'tool-calls';
    case 'ERROR_TOXIC':
      return 'content-filter';
    case 'ERROR':
    case 'TIMEOUT':
      return 'error';
    default:
      return 'other';
  }
}

/** A spec reason as Cohere's v2 `finish_reason`. */
export function finishReasonToCohere(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'MAX_TOKENS';
    case 'tool-calls':
      return 'TOOL_CALL';
    case 'content-filter':
    case 'error':
      return 'ERROR';
    default:
      return 'COMPLETE';
  }
}
