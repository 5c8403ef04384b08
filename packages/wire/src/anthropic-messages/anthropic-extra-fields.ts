import type { ExtraFieldPolicy } from '../codec.ts';

/**
 * Messages API fields with no spec equivalent, which the decoder keeps in
 * `providerOptions.anthropic`; among them what Claude Code and the Agent SDK send on every call
 * (`context_management`, adaptive `thinking`, `output_config`, the `anthropic-beta` values as
 * `betas`).
 */
export const anthropicExtraFields: ExtraFieldPolicy = {
  providerOptionsKey: 'anthropic',
  // `thinking` lands here when it is not a plain enabled budget (`adaptive`, `disabled`).
  // `tool_fields` and `anthropic_defined_tools` hold what `tools` had beyond function tools.
  carried: ['thinking', 'context_management', 'output_config', 'cache_control', 'betas', 'tool_fields'],
  restricted: {
    service_tier: ['auto', 'standard_only'],
    // Fast mode is priced above standard.
    speed: ['standard', null],
    // Anthropic would call out to these servers, or run code in a container, on the caller's behalf.
    mcp_servers: [],
    container: [],
    // Web search, code execution, MCP toolsets: Anthropic runs them (and bills them) for the caller.
    anthropic_defined_tools: [],
    // Where and on what the call runs, billed differently.
    inference_geo: [null],
    fallbacks: [null],
  },
};
