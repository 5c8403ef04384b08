import type { AttemptBudget } from './attempt-budget.ts';
import type { AttemptCheck, BackendMetadata } from './backend.ts';
import type { AiMateyError } from './errors/ai-matey-error.ts';
import { UpstreamServerError } from './errors/upstream-server-error.ts';
import type { EmbedRequest } from './spec/embed.ts';
import type { ChatRequest } from './spec/request.ts';

/**
 * The Bridge's say before it calls a plain backend (a Router asks for each of its attempts
 * itself): the caller's attempt check, then one attempt taken from the call's budget. The
 * refusal, or undefined when the call may go ahead.
 */
export function admitBackendCall(
  metadata: BackendMetadata,
  request: ChatRequest | EmbedRequest,
  context: { checkAttempt?: AttemptCheck | undefined; attempts: AttemptBudget },
): AiMateyError | undefined {
  const { name, provider, defaultModel } = metadata;
  const refused = context.checkAttempt?.({
    backend: name,
    provider,
    model: request.model ?? defaultModel,
    request,
  });
  if (refused) return refused;
  if (context.attempts.tryTake()) return undefined;
  return new UpstreamServerError({
    message: `The call has made all of its ${context.attempts.max} upstream attempts`,
    status: 503,
    code: 'attempts_exhausted',
    isRetryable: false,
  });
}
