import type { ExtraFieldPolicy } from '../codec.ts';

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
  ],
  restricted: {
    service_tier: ['auto', 'default'],
    // Hosted tools cost per call (web search, code interpreter) or reach other servers (MCP).
    tools: [],
    background: [false],
    // OpenAI-side state and templates: only an OpenAI upstream can resolve them.
    conversation: [],
    prompt: [],
  },
};
