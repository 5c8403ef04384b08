import { admitBackendCall } from './admit-backend-call.ts';
import type { AttemptBudget } from './attempt-budget.ts';
import type { Backend, BackendCallOptions, BackendObservation, EmbedProgress } from './backend.ts';
import type { BridgeEvents } from './bridge.ts';
import type { BridgeCall, CallOptions } from './bridge-call.ts';
import { openCall } from './bridge-call.ts';
import type { AiMateyError } from './errors/ai-matey-error.ts';
import { InvalidRequestError } from './errors/invalid-request-error.ts';
import { toAiMateyError } from './errors/to-ai-matey-error.ts';
import { UnsupportedFeatureError } from './errors/unsupported-feature-error.ts';
import type { EmbedContext, EmbedNextFunction, Middleware } from './middleware/middleware.ts';
import { StateKey } from './middleware/state-key.ts';
import type { EmbedRequest, EmbedResponse } from './spec/embed.ts';

/** What an embedding call needs from its Bridge. */
export interface EmbedBridge {
  backend: Backend;
  middleware: readonly Middleware[];
  timeoutMs: number | undefined;
  maxAttempts: number;
  /** Emits a routing event (`backend:selected`, `backend:failover`). */
  observe(named: ObservationEvent): void;
  /** The error as the call throws it, with the upstream calls it made. */
  routed(error: AiMateyError, attempts: AttemptBudget): AiMateyError;
}

/** Where an embedding call keeps the sub-batches it got, for its retries (`BackendCallOptions.embedProgress`). */
const EMBED_PROGRESS = new StateKey<EmbedProgress>('embed-progress');

type ObservationEvent =
  | { type: 'backend:selected'; event: BridgeEvents['backend:selected'] }
  | { type: 'backend:failover'; event: BridgeEvents['backend:failover'] };

/** Runs an embedding call through the Bridge's chain to its backend; the Bridge's `embed`. */
export async function runEmbed(
  request: EmbedRequest,
  options: CallOptions,
  bridge: EmbedBridge,
): Promise<EmbedResponse> {
  const call = beginEmbedCall(request, options, bridge);
  try {
    return await dispatchEmbed(bridge, 0, request, call.context);
  } catch (error) {
    const { signal, attempts } = call.context;
    // When our own signal fired, its reason (timeout, cancel) is the truth, not the socket error.
    const typed = bridge.routed(toAiMateyError(signal.aborted ? (signal.reason ?? error) : error), attempts);
    call.controller.abort(typed);
    throw typed;
  } finally {
    call.dispose();
  }
}

/** A Router's observation as the payload of the Bridge's `backend:selected` or `backend:failover` event. */
function observationEvent(requestId: string, observation: BackendObservation): ObservationEvent {
  if (observation.type === 'backend:selected') {
    const { backend, reason, attempt } = observation;
    return { type: observation.type, event: { requestId, backend, reason, attempt } };
  }
  const { from, to, error, attempt } = observation;
  return { type: observation.type, event: { requestId, from, to, error, attempt } };
}

/** Starts an embedding call: checks the request's inputs, then opens the call's context. */
export function beginEmbedCall(
  request: EmbedRequest,
  options: CallOptions,
  bridge: EmbedBridge,
): BridgeCall<EmbedContext> {
  checkEmbedRequest(request);
  return openCall('embed', options, {
    backend: bridge.backend.metadata,
    timeoutMs: bridge.timeoutMs,
    maxAttempts: bridge.maxAttempts,
  });
}

/**
 * Runs an embedding call down the chain from `index`: each middleware with an `embed` hook in
 * turn (chat-only middleware are passed by), then the backend's `embed`.
 */
export function dispatchEmbed(
  bridge: EmbedBridge,
  index: number,
  request: EmbedRequest,
  context: EmbedContext,
): Promise<EmbedResponse> {
  let at = index;
  let middleware = bridge.middleware[at];
  while (middleware && !middleware.embed) middleware = bridge.middleware[++at];
  if (!middleware?.embed) return callBackend(bridge, request, context);
  const next: EmbedNextFunction = (nextRequest) => {
    if (context.signal.aborted) return Promise.reject(toAiMateyError(context.signal.reason));
    return dispatchEmbed(bridge, at + 1, nextRequest ?? request, context);
  };
  return middleware.embed(request, next, context);
}

function callBackend(
  bridge: EmbedBridge,
  request: EmbedRequest,
  context: EmbedContext,
): Promise<EmbedResponse> {
  const { backend } = bridge;
  const { name, provider } = backend.metadata;
  if (!backend.embed) {
    return Promise.reject(
      new UnsupportedFeatureError({
        message: `Backend '${name}' does not serve embeddings`,
        provider,
        code: 'embeddings_not_supported',
      }),
    );
  }
  const options: BackendCallOptions = {
    signal: context.signal,
    observe: (observation) => bridge.observe(observationEvent(context.requestId, observation)),
    attempts: context.attempts,
    embedProgress: progressOf(context),
    ...(context.checkAttempt ? { checkAttempt: context.checkAttempt } : {}),
  };
  // A Router takes one attempt per backend it calls and asks the check itself; a plain backend is one call.
  if (provider !== 'router') {
    const refused = admitBackendCall(backend.metadata, request, context);
    if (refused) return Promise.reject(refused);
    bridge.observe({
      type: 'backend:selected',
      event: { requestId: context.requestId, backend: name, reason: 'only backend', attempt: 1 },
    });
  }
  return backend.embed(request, options);
}

/** The call's store of finished sub-batches, made on its first backend call and kept for its retries. */
function progressOf(context: EmbedContext): EmbedProgress {
  const kept = EMBED_PROGRESS.get(context.state);
  if (kept) return kept;
  const progress: EmbedProgress = new Map();
  EMBED_PROGRESS.set(context.state, progress);
  return progress;
}

/** An embedding request needs a non-empty list of texts or token arrays. */
export function checkEmbedRequest(request: EmbedRequest): void {
  if (!request || !Array.isArray(request.inputs) || request.inputs.length === 0) {
    throw new InvalidRequestError({
      message: 'An embedding request needs at least one input',
      param: 'input',
      code: 'invalid_input',
    });
  }
  for (const [index, input] of request.inputs.entries()) {
    const ok =
      (typeof input === 'string' && input.length > 0) ||
      (Array.isArray(input) && input.length > 0 && input.every((token) => Number.isInteger(token)));
    if (!ok) {
      throw new InvalidRequestError({
        message: `Input ${index} is neither a non-empty string nor a non-empty array of token ids`,
        param: `input[${index}]`,
        code: 'invalid_input',
      });
    }
  }
  const { dimensions } = request;
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions > 0)) {
    throw new InvalidRequestError({
      message: 'dimensions must be a positive integer',
      param: 'dimensions',
      code: 'invalid_dimensions',
    });
  }
}
