import type { BackendCallOptions } from '../backend.ts';
import { tokenCountUnsupported } from '../count-tokens.ts';
import type { TokenCount } from '../spec/token-count.ts';
import type { Selection } from './selection.ts';

/**
 * A Router's token count: asked of the backend the request would go to first (its selection),
 * after the caller's attempt check. No fallback and no circuit permit: a count is advice, not a
 * call that must succeed, and a failing count says nothing about the backend's chat health.
 */
export function countTokensOnSelection(
  selection: Selection,
  options: BackendCallOptions,
): Promise<TokenCount> {
  const { primary, request } = selection;
  const { backend } = primary;
  const { provider, defaultModel } = backend.metadata;
  const refused = options.checkAttempt?.({
    backend: primary.name,
    provider,
    model: request.model ?? defaultModel,
    request,
  });
  if (refused) return Promise.reject(refused);
  if (!backend.countTokens) return Promise.reject(tokenCountUnsupported(provider, primary.name));
  const forwarded: BackendCallOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(selection.modelResolved ? { modelResolved: true } : {}),
  };
  return backend.countTokens(request, forwarded);
}
