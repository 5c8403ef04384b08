import type { ReasoningOptions, ResponseFormat } from 'ai.matey.core';
import type { z } from 'zod';
import type { AnthropicRequestBody, anthropicEffort } from './anthropic-request-schema.ts';

type AnthropicEffort = z.infer<typeof anthropicEffort>;

/** What the thinking and output settings of a Messages body mean in the spec. */
export interface DecodedAnthropicOptions {
  reasoning?: ReasoningOptions;
  responseFormat?: ResponseFormat;
  /**
   * The fields as the caller sent them (`providerOptions.anthropic`), so an Anthropic upstream
   * gets adaptive thinking and `output_config` back unchanged; other upstreams read the spec
   * fields above.
   */
  carried: Record<string, unknown>;
}

const EFFORTS: Record<string, NonNullable<ReasoningOptions['effort']>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

/**
 * Anthropic's effort levels on the spec's four: `xhigh` and `max` are the spec's highest; a level
 * this version does not know is `high` (adaptive thinking's default).
 */
export function specEffort(effort: AnthropicEffort): NonNullable<ReasoningOptions['effort']> {
  return EFFORTS[effort] ?? 'high';
}

/**
 * `thinking`, `output_config` and `output_format` as spec settings: an enabled budget becomes
 * `reasoning.budgetTokens`; adaptive thinking (the model decides how much to think) becomes
 * `reasoning.effort`, at `output_config.effort` or Anthropic's default, `high`; a JSON schema
 * output format becomes `responseFormat`.
 */
export function decodeAnthropicOptions(data: AnthropicRequestBody): DecodedAnthropicOptions {
  const carried: Record<string, unknown> = {};
  const decoded: DecodedAnthropicOptions = { carried };
  const { thinking, output_config: outputConfig, output_format: outputFormat } = data;
  const effort = outputConfig?.effort ?? undefined;

  if (thinking?.type === 'enabled' && thinking.budget_tokens !== undefined) {
    decoded.reasoning = { budgetTokens: thinking.budget_tokens };
    if (Object.keys(thinking).some((key) => key !== 'type' && key !== 'budget_tokens'))
      carried.thinking = thinking;
  } else if (thinking !== undefined) {
    carried.thinking = thinking;
    if (thinking.type === 'adaptive') decoded.reasoning = { effort: specEffort(effort ?? 'high') };
  }
  // Effort without thinking only limits tokens on Anthropic: another provider's reasoning effort
  // would switch thinking on, so it stays in `output_config` for an Anthropic upstream alone.

  const format = outputConfig?.format ?? outputFormat ?? undefined;
  if (format) decoded.responseFormat = { type: 'json-schema', schema: format.schema };
  if (outputConfig !== undefined) {
    // The format travels as the spec's responseFormat (the Anthropic encoder's json tool).
    const { format: _format, ...rest } = outputConfig;
    if (Object.keys(rest).length > 0) carried.output_config = rest;
  }
  return decoded;
}
