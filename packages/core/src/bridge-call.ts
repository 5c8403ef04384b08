import { AttemptBudget } from './attempt-budget.ts';
import type { AttemptCheck, BackendMetadata } from './backend.ts';
import { CancelledError } from './errors/cancelled-error.ts';
import { InvalidRequestError } from './errors/invalid-request-error.ts';
import { TimeoutError } from './errors/timeout-error.ts';
import { toAiMateyError } from './errors/to-ai-matey-error.ts';
import type { CallContext, MiddlewareContext } from './middleware/middleware.ts';
import type { ChatRequest } from './spec/request.ts';
import { createRequestId } from './util/request-id.ts';

export interface CallOptions {
  signal?: AbortSignal;
  /** Time limit for this call, in ms; overrides the Bridge's. */
  timeoutMs?: number;
  /** Your own id for the call (the gateway passes its request id). */
  requestId?: string;
  /**
   * Asked before every upstream attempt (each fallback and retry a Router makes, or the single
   * backend's call): return an error to refuse that attempt. The gateway passes a key's policy.
   */
  checkAttempt?: AttemptCheck;
}

export type CallMode = 'execute' | 'stream';

/** One call in flight: its middleware context, the controller that cancels it, and its cleanup. */
export interface BridgeCall<Context extends CallContext = MiddlewareContext> {
  context: Context;
  controller: AbortController;
  /** Clears the call's timer and lets go of the caller's signal. */
  dispose(): void;
}

/**
 * Starts a call: checks the request has messages, links the caller's signal and the time limit
 * to one abort controller, and builds the context the middleware chain sees.
 */
export function beginCall(
  mode: CallMode,
  request: ChatRequest,
  options: CallOptions,
  bridge: { backend: BackendMetadata; timeoutMs: number | undefined; maxAttempts: number },
): BridgeCall {
  if (!request || !Array.isArray(request.messages)) {
    throw new InvalidRequestError({ message: 'A chat request needs a messages array', param: 'messages' });
  }
  return openCall(mode, options, bridge);
}

/**
 * Links the caller's signal and the time limit to one abort controller, and builds the context
 * the middleware chain sees, for a call of any kind (the request was checked by the caller).
 */
export function openCall<Mode extends CallContext['mode']>(
  mode: Mode,
  options: CallOptions,
  bridge: { backend: BackendMetadata; timeoutMs: number | undefined; maxAttempts: number },
): BridgeCall<CallContext & { readonly mode: Mode }> {
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? bridge.timeoutMs;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new TimeoutError({ message: `The call took longer than ${timeoutMs} ms` })),
          timeoutMs,
        );
  const onCallerAbort = () =>
    controller.abort(
      toAiMateyError(options.signal?.reason ?? new CancelledError({ message: 'Cancelled by the caller' })),
    );
  if (options.signal?.aborted) onCallerAbort();
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const context = {
    mode,
    requestId: options.requestId ?? createRequestId(),
    signal: controller.signal,
    startedAt: performance.now(),
    backend: bridge.backend,
    state: new Map(),
    attempts: new AttemptBudget(bridge.maxAttempts),
    ...(options.checkAttempt ? { checkAttempt: options.checkAttempt } : {}),
  };
  return {
    context,
    controller,
    dispose() {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
