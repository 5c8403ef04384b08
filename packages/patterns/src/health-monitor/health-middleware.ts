import {
  type AllBackendsFailedError,
  type ChatRequest,
  type Middleware,
  type MiddlewareContext,
  observeCall,
  type RoutingInfo,
  toAiMateyError,
} from 'ai.matey.core';

/** One call outcome for one backend, as the health monitor records it. */
export interface TrafficObservation {
  provider: string;
  success: boolean;
  latencyMs?: number;
  error?: unknown;
}

/**
 * A middleware that reports every call's outcome per backend: the one that served it (from the
 * Router's `routing`), the ones a Router tried before it, and the ones that failed. Latency is
 * the whole call for `execute` and the time to the first event for a stream; a stream's outcome
 * is taken when it ends (a reader that stops early reports nothing).
 */
export function healthMiddleware(record: (observation: TrafficObservation) => void): Middleware {
  return {
    name: 'health-monitor',
    execute(request, next, context) {
      return observeCall(next, request, {
        onEnd(outcome) {
          if (outcome.status === 'ok') {
            // A stream's latency is its time to first event: how long the caller waited.
            const latencyMs = outcome.timeToFirstEventMs ?? outcome.latencyMs;
            recordSuccess(record, outcome.response.routing, request, context, latencyMs);
          } else if (outcome.status === 'failed') {
            recordFailure(record, outcome.error, request, context, outcome.partial?.routing?.backend);
          }
        },
      });
    },
  };
}

/** The backend a call went to: as routed, as named by the request, or the Bridge's own backend. */
function servedBy(
  request: ChatRequest,
  context: MiddlewareContext,
  routed?: string,
  errorProvider?: string,
): string {
  const named = request.metadata?.provider;
  if (routed) return routed;
  if (typeof named === 'string') return named;
  // Behind a Router that chose by strategy, the error's provider is the best name there is.
  if (context.backend.provider === 'router' && errorProvider) return errorProvider;
  return context.backend.name;
}

function recordSuccess(
  record: (observation: TrafficObservation) => void,
  routing: RoutingInfo | undefined,
  request: ChatRequest,
  context: MiddlewareContext,
  latencyMs: number,
): void {
  for (const failure of routing?.failures ?? []) {
    record({ provider: failure.backend, success: false, error: new Error(failure.error) });
  }
  record({ provider: servedBy(request, context, routing?.backend), success: true, latencyMs });
}

function recordFailure(
  record: (observation: TrafficObservation) => void,
  thrown: unknown,
  request: ChatRequest,
  context: MiddlewareContext,
  routed?: string,
): void {
  const error = toAiMateyError(thrown);
  if (error.kind === 'all-backends-failed') {
    for (const attempt of (error as AllBackendsFailedError).attempts ?? []) {
      if (!attempt.error.isRequestFault) {
        record({ provider: attempt.backend, success: false, error: attempt.error });
      }
    }
    return;
  }
  if (error.isRequestFault || context.signal.aborted) return;
  record({ provider: servedBy(request, context, routed, error.provider), success: false, error });
}
