import {
  AiMateyError,
  type BackendCallOptions,
  type ChatRequest,
  type TokenCount,
  tokenCountUnsupported,
} from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import { decodeReply } from './decode-reply.ts';

/** What a count call needs from its backend: the codec, the paths, and its JSON post. */
export interface CountTarget {
  provider: string;
  /** The backend's name, for the error when its protocol cannot count. */
  backend: string;
  codec: WireCodec;
  versionedPath: string;
  resolveModel(model: string | undefined, resolved: boolean | undefined): string;
  post(
    path: string,
    body: string,
    signal: AbortSignal | undefined,
    request: ChatRequest,
  ): Promise<{ body: unknown }>;
}

/**
 * The provider's own count of a request's input tokens, where its protocol has a count endpoint
 * (Anthropic, Gemini, OpenAI Responses); `UnsupportedFeatureError` (`token_count_unsupported`)
 * otherwise, and when the provider answers the count path with 404 or 405 (a server that speaks
 * the protocol without its count endpoint), so the caller gets an estimate instead of an error.
 *
 * @example
 * const count = await countTokensCall(request, options, { provider: 'anthropic', backend: 'anthropic', codec, versionedPath: '/v1', resolveModel, post });
 */
export async function countTokensCall(
  request: ChatRequest,
  options: BackendCallOptions,
  target: CountTarget,
): Promise<TokenCount> {
  const counter = target.codec.tokenCount;
  const { provider } = target;
  if (!counter) throw tokenCountUnsupported(provider, target.backend);
  const model = target.resolveModel(request.model, options.modelResolved);
  const encoded = counter.encodeRequest(request, { model, stream: false, provider });
  const path = counter.path(target.versionedPath, model);
  let body: unknown;
  try {
    ({ body } = await target.post(path, JSON.stringify(encoded.body), options.signal, request));
  } catch (error) {
    const status = AiMateyError.isInstance(error) ? error.status : undefined;
    if (status === 404 || status === 405) throw tokenCountUnsupported(provider, target.backend);
    throw error;
  }
  const inputTokens = decodeReply(provider, () => counter.decodeResponse(body));
  return { inputTokens, exact: true, provider, model };
}
