import { AttemptBudget } from '../attempt-budget.ts';
import type { BackendCallOptions } from '../backend.ts';
import { toAiMateyError } from '../errors/to-ai-matey-error.ts';
import type { CallContext, Middleware, Reply } from '../middleware/middleware.ts';
import type { EmbedRequest, EmbedResponse } from '../spec/embed.ts';
import type { ChatRequest } from '../spec/request.ts';
import { createRequestId } from '../util/request-id.ts';
import type { Registration } from './registration.ts';

/**
 * The context a Router's attempt middleware see: the call's signal, attempt budget and attempt
 * check, and as `backend` the attempt's own backend under its registered name (so a middleware
 * keyed on `context.backend.name` keeps one state per provider).
 */
export function attemptContext<Mode extends CallContext['mode']>(
  mode: Mode,
  registration: Registration,
  request: ChatRequest | EmbedRequest,
  options: BackendCallOptions,
): CallContext & { readonly mode: Mode } {
  const requestId = request.metadata?.requestId;
  return {
    mode,
    requestId: typeof requestId === 'string' ? requestId : createRequestId(),
    signal: options.signal ?? new AbortController().signal,
    startedAt: performance.now(),
    backend: { ...registration.backend.metadata, name: registration.name },
    state: new Map(),
    attempts: options.attempts ?? new AttemptBudget(1),
    ...(options.checkAttempt ? { checkAttempt: options.checkAttempt } : {}),
  };
}

/** Runs a chat attempt through the middleware, in order, then `call` (the backend). */
export function runChatChain(
  middleware: readonly Middleware[],
  request: ChatRequest,
  context: CallContext & { readonly mode: 'execute' | 'stream' },
  call: (request: ChatRequest) => Promise<Reply>,
): Promise<Reply> {
  const dispatch = (index: number, current: ChatRequest): Promise<Reply> => {
    const next = middleware[index];
    if (!next) return call(current);
    return next.execute(
      current,
      (passed) => {
        if (context.signal.aborted) return Promise.reject(toAiMateyError(context.signal.reason));
        return dispatch(index + 1, passed ?? current);
      },
      context,
    );
  };
  return dispatch(0, request);
}

/** Runs an embedding attempt through the middleware that take embedding calls, then `call`. */
export function runEmbedChain(
  middleware: readonly Middleware[],
  request: EmbedRequest,
  context: CallContext & { readonly mode: 'embed' },
  call: (request: EmbedRequest) => Promise<EmbedResponse>,
): Promise<EmbedResponse> {
  const dispatch = (index: number, current: EmbedRequest): Promise<EmbedResponse> => {
    const next = middleware[index];
    if (!next) return call(current);
    if (!next.embed) return dispatch(index + 1, current);
    return next.embed(
      current,
      (passed) => {
        if (context.signal.aborted) return Promise.reject(toAiMateyError(context.signal.reason));
        return dispatch(index + 1, passed ?? current);
      },
      context,
    );
  };
  return dispatch(0, request);
}
