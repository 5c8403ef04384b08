import type { FinishReason } from 'ai.matey.core';
import { isRecord } from './responses-metadata.ts';

/** Output items whose presence means the model waits for the caller to run a tool. */
const CALLER_TOOL_ITEMS = new Set([
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'shell_call',
  'apply_patch_call',
  'computer_call',
  'mcp_approval_request',
]);

/** Whether an output item asks the caller to run a tool. */
export function asksForTool(item: unknown): boolean {
  return isRecord(item) && typeof item.type === 'string' && CALLER_TOOL_ITEMS.has(item.type);
}

/**
 * The spec finish reason and the raw one for a response's `status` and `incomplete_details`:
 * `incomplete` for `max_output_tokens` is `length`, for `content_filter` is `content-filter`.
 */
export function finishFromResponses(
  status: unknown,
  incompleteDetails: unknown,
  calledTool: boolean,
): { finishReason: FinishReason; rawFinishReason: string } {
  if (status === 'incomplete') {
    const reason = isRecord(incompleteDetails) ? incompleteDetails.reason : undefined;
    if (reason === 'max_output_tokens') return { finishReason: 'length', rawFinishReason: reason };
    if (reason === 'content_filter') return { finishReason: 'content-filter', rawFinishReason: reason };
    return { finishReason: 'other', rawFinishReason: typeof reason === 'string' ? reason : 'incomplete' };
  }
  if (status === 'failed') return { finishReason: 'error', rawFinishReason: 'failed' };
  if (status === 'completed' || status === undefined)
    return { finishReason: calledTool ? 'tool-calls' : 'stop', rawFinishReason: 'completed' };
  return { finishReason: 'other', rawFinishReason: String(status) };
}

/** The `status` and `incomplete_details` a Responses client reads for a spec finish reason. */
export function statusFromFinish(finishReason: FinishReason): {
  status: 'completed' | 'incomplete' | 'failed';
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
} {
  if (finishReason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content-filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  if (finishReason === 'error') return { status: 'failed', incomplete_details: null };
  return { status: 'completed', incomplete_details: null };
}
