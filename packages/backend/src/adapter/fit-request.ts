import {
  type BackendCapabilities,
  type ChatRequest,
  UnsupportedFeatureError,
  type Warning,
} from 'ai.matey.core';
import { requestNeeds } from 'ai.matey.core/internal';
import type { WireCodec } from 'ai.matey.wire';
import { fitForProtocol } from './fit-for-protocol.ts';

/** Who a request is about to be encoded for. */
export interface FitTarget {
  codec: WireCodec;
  provider: string;
  model: string;
  /** The model's capabilities in the catalog, when it is there. */
  capabilities: Partial<BackendCapabilities> | undefined;
}

/**
 * The request as this provider's model can take it, and warnings for what it leaves out (a
 * feature the catalog says the model lacks, tools or vision, is an `UnsupportedFeatureError`):
 * - what only another protocol can carry (`fitForProtocol`: hosted tools, items kept whole);
 * - reasoning, for a model the catalog says does not reason (OpenAI refuses `reasoning_effort`
 *   on gpt-4o-mini; Claude Code asks every model for adaptive thinking);
 * - the `providerOptions` entries the encoder does not merge: it takes its own protocol's entry
 *   (`extraFields.providerOptionsKey`) and the provider's (`groq`), so the fields an Anthropic
 *   client sent for Anthropic (`context_management`, `betas`) are named, not silently lost,
 *   when the call goes to OpenAI.
 *
 * @example
 * const { request: sent, warnings } = fitRequest(request, { codec: openaiChat, provider: 'openai', model, capabilities });
 */
export function fitRequest(
  request: ChatRequest,
  target: FitTarget,
): { request: ChatRequest; warnings: Warning[] } {
  const { capabilities, provider, model } = target;
  const missing = capabilities ? requestNeeds(request).filter((need) => capabilities[need] === false) : [];
  if (missing.length > 0) {
    throw new UnsupportedFeatureError({
      message: `${provider} model ${model} does not support ${missing.join(', ')}`,
      provider,
      code: 'unsupported_feature',
      param: missing[0],
    });
  }
  // First what only another protocol can carry (hosted tools, items kept whole).
  const foreign = fitForProtocol(request, target.codec);
  const warnings: Warning[] = [...foreign.warnings];
  let fitted = foreign.request;
  if (fitted.reasoning && target.capabilities?.reasoning === false) {
    const { reasoning: _reasoning, ...rest } = fitted;
    fitted = rest;
    warnings.push({
      type: 'unsupported-setting',
      setting: 'reasoning',
      message: `${target.provider} model ${target.model} does not reason; the reasoning setting was not sent.`,
    });
  }
  const merged = new Set([target.provider, target.codec.extraFields?.providerOptionsKey]);
  for (const [entry, fields] of Object.entries(fitted.providerOptions ?? {})) {
    const names = Object.keys(fields ?? {});
    if (merged.has(entry) || names.length === 0) continue;
    warnings.push({
      type: 'unsupported-setting',
      setting: `providerOptions.${entry}`,
      message: `${names.join(', ')} (${entry} options) ${names.length === 1 ? 'was' : 'were'} not sent to ${target.provider}.`,
    });
  }
  return { request: fitted, warnings };
}
