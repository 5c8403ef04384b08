import type { Backend, BackendCallOptions, Bridge, CallOptions } from 'ai.matey.core';

/** The front-end's Bridge as the policy chain's backend: the call's id and attempt check go along. */
export function bridgeBackend(bridge: Bridge): Backend {
  const forward = (
    request: { metadata?: Record<string, unknown> },
    options: BackendCallOptions = {},
  ): CallOptions => {
    const requestId = request.metadata?.requestId;
    return {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(typeof requestId === 'string' ? { requestId } : {}),
      ...(options.checkAttempt ? { checkAttempt: options.checkAttempt } : {}),
    };
  };
  return {
    get metadata() {
      return bridge.backend.metadata;
    },
    execute: (request, options) => bridge.execute(request, forward(request, options)),
    stream: (request, options) => bridge.stream(request, forward(request, options)),
    embed: (request, options) => bridge.embed(request, forward(request, options)),
  };
}
