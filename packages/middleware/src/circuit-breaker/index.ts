import {
  type CallContext,
  type ChatRequest,
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitOpenError,
  type CircuitSnapshot,
  type CircuitState,
  checkOptions,
  type EmbedRequest,
  type Middleware,
  type OptionShape,
  observeCall,
  observeEmbed,
  toAiMateyError,
} from 'ai.matey.core';

export interface CircuitBreakerMiddlewareOptions extends Omit<CircuitBreakerOptions, 'onStateChange'> {
  /**
   * Which circuit a call (chat or embedding) belongs to. Default: `request.metadata.provider`
   * when it is a string, else the Bridge backend's name.
   */
  key?(request: ChatRequest | EmbedRequest, context: CallContext): string;
  onStateChange?: (change: { key: string; from: CircuitState; to: CircuitState }) => void;
}

/** The circuit breaker middleware, with its circuits readable for dashboards. */
export interface CircuitBreakerMiddleware extends Middleware {
  /** Every circuit's state, by key. */
  states(): Record<string, CircuitSnapshot>;
  /** Closes one circuit, or all of them. */
  reset(key?: string): void;
}

const circuitBreakerOptions: OptionShape<CircuitBreakerMiddlewareOptions> = {
  failureThreshold: true,
  cooldownMs: true,
  halfOpenMaxProbes: true,
  successThreshold: true,
  isFailure: true,
  now: true,
  key: true,
  onStateChange: true,
};

/**
 * Stops calling a backend that keeps failing. After `failureThreshold` consecutive failures a
 * circuit opens and calls fail fast with a `CircuitOpenError` (503, code
 * `circuit_open`, `retryAfterMs` until the first probe); after `cooldownMs` a limited number of
 * probe calls go through, and their outcome closes or re-opens it.
 *
 * Embedding calls share the circuits of chat calls. A stream counts by how it ends, so a stream that breaks after its first event is a failure
 * too; a call the caller cancelled counts for nothing.
 *
 * @example
 * const breaker = createCircuitBreakerMiddleware({ failureThreshold: 5, cooldownMs: 30_000 });
 * const bridge = new Bridge({ backend, middleware: [createRetryMiddleware(), breaker] });
 * app.get('/health', (c) => c.json(breaker.states()));
 */
export function createCircuitBreakerMiddleware(
  options: CircuitBreakerMiddlewareOptions = {},
): CircuitBreakerMiddleware {
  checkOptions('createCircuitBreakerMiddleware', options, circuitBreakerOptions);
  const { key: keyOf = defaultKey, onStateChange, ...breakerOptions } = options;
  const now = options.now ?? Date.now;
  const circuits = new Map<string, CircuitBreaker>();

  function circuit(key: string): CircuitBreaker {
    let breaker = circuits.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker({
        ...breakerOptions,
        ...(onStateChange ? { onStateChange: (change) => onStateChange({ key, ...change }) } : {}),
      });
      circuits.set(key, breaker);
    }
    return breaker;
  }

  /** The call's circuit, with a permit taken (or the error of an open one). */
  function admit(request: ChatRequest | EmbedRequest, context: CallContext): CircuitBreaker {
    const key = keyOf(request, context);
    const breaker = circuit(key);
    if (!breaker.tryAcquire()) throw openCircuitError(key, breaker.snapshot(), now());
    return breaker;
  }

  return {
    name: 'circuit-breaker',
    async execute(request, next, context) {
      const breaker = admit(request, context);
      return observeCall(next, request, {
        onEnd(outcome) {
          if (outcome.status === 'ok') breaker.recordSuccess();
          else if (outcome.status === 'failed') settle(breaker, outcome.error);
          else breaker.release();
        },
      });
    },
    async embed(request, next, context) {
      const breaker = admit(request, context);
      return observeEmbed(next, request, {
        onEnd(outcome) {
          if (outcome.status === 'ok') breaker.recordSuccess();
          else settle(breaker, outcome.error);
        },
      });
    },
    states() {
      const states: Record<string, CircuitSnapshot> = {};
      for (const [key, breaker] of circuits) states[key] = breaker.snapshot();
      return states;
    },
    reset(key) {
      if (key === undefined) for (const breaker of circuits.values()) breaker.reset();
      else circuits.get(key)?.reset();
    },
  };
}

function defaultKey(request: ChatRequest | EmbedRequest, context: CallContext): string {
  const provider = request.metadata?.provider;
  return typeof provider === 'string' && provider !== '' ? provider : context.backend.name;
}

function settle(breaker: CircuitBreaker, error: unknown): void {
  const typed = toAiMateyError(error);
  // A caller that gave up says nothing about the backend's health.
  if (typed.kind === 'cancelled') breaker.release();
  else breaker.recordFailure(typed);
}

function openCircuitError(key: string, snapshot: CircuitSnapshot, now: number): CircuitOpenError {
  // Half-open with every probe slot taken: the next chance depends on the probe, not a clock.
  const retryAfterMs =
    snapshot.state === 'open' && snapshot.retryAt !== undefined
      ? Math.max(0, snapshot.retryAt - now)
      : undefined;
  return new CircuitOpenError({
    message:
      snapshot.state === 'open'
        ? `The circuit for ${key} is open after repeated failures; calls fail fast until it is probed again`
        : `The circuit for ${key} is half-open and its probe calls are taken`,
    provider: key,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
