import type { Backend, BackendCallOptions } from './backend.ts';
import { AiMateyError } from './errors/ai-matey-error.ts';
import { InvalidRequestError } from './errors/invalid-request-error.ts';
import { UnsupportedFeatureError } from './errors/unsupported-feature-error.ts';
import type { ChatRequest } from './spec/request.ts';
import type { TokenCount } from './spec/token-count.ts';

/** The error code of a backend that offers no token count (the caller may estimate instead). */
export const TOKEN_COUNT_UNSUPPORTED = 'token_count_unsupported';

export interface CountTokensOptions {
  signal?: AbortSignal;
  /** Asked before the upstream count call, as for a chat call (a key's allowed models). */
  checkAttempt?: BackendCallOptions['checkAttempt'];
  /**
   * Counts locally when the backend that would serve the request cannot count: given the
   * request and that backend's provider. Without it, such a call fails with
   * `UnsupportedFeatureError` (code `token_count_unsupported`).
   */
  estimate?: (request: ChatRequest, provider: string | undefined) => Promise<number> | number;
}

/** The error a backend without a token count throws. */
export function tokenCountUnsupported(provider: string, name = provider): UnsupportedFeatureError {
  return new UnsupportedFeatureError({
    message: `Backend '${name}' offers no token count`,
    provider,
    code: TOKEN_COUNT_UNSUPPORTED,
  });
}

/**
 * Counts a request's input tokens with the backend (a Router passes it to the backend that
 * would serve it), falling back to `options.estimate` where no count is offered. No middleware
 * runs: a count is not a chat call, and spends no chat budget.
 */
export async function countTokensWith(
  backend: Backend,
  request: ChatRequest,
  options: CountTokensOptions,
): Promise<TokenCount> {
  if (!request || !Array.isArray(request.messages))
    throw new InvalidRequestError({ message: 'A request needs a messages array', param: 'messages' });
  const { name, provider, defaultModel } = backend.metadata;
  const composite = provider === 'router';
  if (!composite) {
    const refused = options.checkAttempt?.({
      backend: name,
      provider,
      model: request.model ?? defaultModel,
      request,
    });
    if (refused) throw refused;
  }
  const callOptions: BackendCallOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.checkAttempt ? { checkAttempt: options.checkAttempt } : {}),
  };
  try {
    if (!backend.countTokens) throw tokenCountUnsupported(provider, name);
    return await backend.countTokens(request, callOptions);
  } catch (error) {
    const unsupported = AiMateyError.isInstance(error) && error.code === TOKEN_COUNT_UNSUPPORTED;
    if (!unsupported || !options.estimate) throw error;
    const counted = error.provider;
    const inputTokens = await options.estimate(request, counted);
    return {
      inputTokens,
      exact: false,
      ...(counted ? { provider: counted } : {}),
      ...(request.model ? { model: request.model } : {}),
    };
  }
}
