import type { ExtraFieldPolicy } from '../codec.ts';
import { isRecord } from './responses-metadata.ts';

/** A `namespace` tool whose members are all function tools. */
function isNamespaceTool(tool: unknown): boolean {
  return (
    isRecord(tool) &&
    tool.type === 'namespace' &&
    Array.isArray(tool.tools) &&
    tool.tools.every((member) => isRecord(member) && member.type === 'function')
  );
}

/** Responses fields with no spec equivalent, which the decoder keeps in `providerOptions['openai-responses']`. */
export const responsesExtraFields: ExtraFieldPolicy = {
  providerOptionsKey: 'openai-responses',
  carried: [
    'store',
    'metadata',
    'include',
    'truncation',
    'text',
    'reasoning',
    'tool_choice',
    'top_logprobs',
    'prompt_cache_key',
    'prompt_cache_retention',
    'safety_identifier',
    'stream_options',
    'max_tool_calls',
    'context_management',
    // Codex's turn and session ids, for OpenAI's own bookkeeping.
    'client_metadata',
  ],
  restricted: {
    service_tier: ['auto', 'default'],
    // Hosted tools cost per call (web search, code interpreter) or reach other servers (MCP);
    // a namespace only groups function tools, which the caller runs (Codex's sub-agents).
    tools: (value) => Array.isArray(value) && value.every(isNamespaceTool),
    background: [false],
    // OpenAI-side state and templates: only an OpenAI upstream can resolve them.
    conversation: [],
    prompt: [],
  },
};
