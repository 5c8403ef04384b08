import type { ExtraFieldPolicy } from '../codec.ts';

/**
 * Chat Completions fields with no spec equivalent, which the decoder keeps in
 * `providerOptions.openai`. The routing fields of OpenRouter (`models`, `route`, `provider`,
 * `plugins`) arrive in this format too, so they are listed here.
 */
export const openaiChatExtraFields: ExtraFieldPolicy = {
  providerOptionsKey: 'openai',
  carried: [
    'tool_choice',
    'reasoning_effort',
    'logit_bias',
    'logprobs',
    'top_logprobs',
    'metadata',
    'store',
    'prompt_cache_key',
    'safety_identifier',
    'verbosity',
    'functions',
    'function_call',
    'top_k',
    'min_p',
    'repetition_penalty',
  ],
  restricted: {
    // n completions are n times the output tokens.
    n: [1],
    service_tier: ['auto', 'default'],
    audio: [],
    modalities: [['text']],
    prediction: [],
    web_search_options: [],
    // OpenRouter: other models, other providers, paid plugins.
    models: [],
    route: [],
    provider: [],
    plugins: [],
  },
};
