import type { ChatRequest, Warning } from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';

/**
 * Warnings for the `providerOptions` entries a call does not send: an encoder merges its own
 * protocol's entry (`extraFields.providerOptionsKey`) and the provider's (`groq`), so fields an
 * Anthropic client sent for Anthropic (`context_management`, adaptive `thinking`) are said to be
 * left out when the call goes to OpenAI, instead of vanishing. A codec that declares no extra
 * fields merges only the provider's entry.
 *
 * @example
 * const warnings = unsentProviderOptions(request, openaiChat, 'groq');
 */
export function unsentProviderOptions(request: ChatRequest, codec: WireCodec, provider: string): Warning[] {
  const sent = new Set([provider, codec.extraFields?.providerOptionsKey]);
  const warnings: Warning[] = [];
  for (const [entry, fields] of Object.entries(request.providerOptions ?? {})) {
    const names = Object.keys(fields ?? {});
    if (sent.has(entry) || names.length === 0) continue;
    warnings.push({
      type: 'unsupported-setting',
      setting: `providerOptions.${entry}`,
      message: `${names.join(', ')} (${entry} options) ${names.length === 1 ? 'was' : 'were'} not sent to ${provider}.`,
    });
  }
  return warnings;
}
