import type { ExtraFieldPolicy } from '../codec.ts';

/** Messages API fields with no spec equivalent, which the decoder keeps in `providerOptions.anthropic`. */
export const anthropicExtraFields: ExtraFieldPolicy = {
  providerOptionsKey: 'anthropic',
  // `thinking` lands here only when it is not an enabled budget (`{ type: 'disabled' }`).
  carried: ['thinking', 'context_management'],
  restricted: {
    service_tier: ['auto', 'standard_only'],
    // Anthropic would call out to these servers, or run code in a container, on the caller's behalf.
    mcp_servers: [],
    container: [],
  },
};
