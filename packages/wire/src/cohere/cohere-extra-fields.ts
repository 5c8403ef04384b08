import type { ExtraFieldPolicy } from '../codec.ts';

/** Cohere v2 chat fields with no spec equivalent, which the decoder keeps in `providerOptions.cohere`. */
export const cohereExtraFields: ExtraFieldPolicy = {
  providerOptionsKey: 'cohere',
  carried: [
    'documents',
    'citation_options',
    'safety_mode',
    'strict_tools',
    'logprobs',
    'thinking',
    'priority',
  ],
  restricted: {},
};
