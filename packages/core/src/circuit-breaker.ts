import type { AiMateyError } from './errors/ai-matey-error.ts';
import { checkOptions, type OptionShape } from './util/check-options.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before letting probes through. Default 30 s. */
  cooldownMs?: number;
  /** Calls let through at once while half-open. Default 1. */
  halfOpenMaxProbes?: number;
  /** Probe successes needed to close again. Default 1. */
  successThreshold?: number;
  /** Which errors count against the backend. Default: the retryable ones (5xx, 429, network, timeouts). */
  isFailure?: (error: AiMateyError) => boolean;
  onStateChange?: (change: { from: CircuitState; to: CircuitState }) => void;
  now?: () => number;
}

/** The options `CircuitBreaker` knows (a Router checks its `circuitBreaker` option against them). */
export const circuitBreakerOptions: OptionShape<CircuitBreakerOptions> = {
  failureThreshold: true,
  cooldownMs: true,
  halfOpenMaxProbes: true,
  successThreshold: true,
  isFailure: true,
  onStateChange: true,
  now: true,
};

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  totalFailures: number;
  totalSuccesses: number;
  openedAt?: number;
  /** When an open circuit lets its next probe through (epoch ms). */
  retryAt?: number;
}

/**
 * A per-backend circuit breaker: closed (calls flow), open (calls fail fast until the
 * cool-down ends), half-open (a limited number of probes; success closes, failure re-opens).
 */
export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #cooldownMs: number;
  readonly #halfOpenMaxProbes: number;
  readonly #successThreshold: number;
  readonly #isFailure: (error: AiMateyError) => boolean;
  readonly #onStateChange: CircuitBreakerOptions['onStateChange'];
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #consecutiveFailures = 0;
  #probeSuccesses = 0;
  #probesInFlight = 0;
  #openedAt = 0;
  #totalFailures = 0;
  #totalSuccesses = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    checkOptions('new CircuitBreaker', options, circuitBreakerOptions);
    this.#failureThreshold = options.failureThreshold ?? 5;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#halfOpenMaxProbes = options.halfOpenMaxProbes ?? 1;
    this.#successThreshold = options.successThreshold ?? 1;
    this.#isFailure = options.isFailure ?? ((error) => error.isRetryable);
    this.#onStateChange = options.onStateChange;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#cooldownMs)
      this.#transition('half-open');
    return this.#state;
  }

  /** Would a call be let through now? (Does not take a probe slot.) */
  get isCallPermitted(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && this.#probesInFlight < this.#halfOpenMaxProbes);
  }

  /** Takes permission for one call; false when the circuit is open or its probes are taken. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half-open' && this.#probesInFlight < this.#halfOpenMaxProbes) {
      this.#probesInFlight++;
      return true;
    }
    return false;
  }

  recordSuccess(): void {
    this.#totalSuccesses++;
    this.#consecutiveFailures = 0;
    if (this.#state === 'half-open') {
      this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
      if (++this.#probeSuccesses >= this.#successThreshold) this.#transition('closed');
    }
  }

  /** Records an outcome that failed; errors that do not count (a 400, say) only free the probe. */
  recordFailure(error: AiMateyError): void {
    if (this.#state === 'half-open') this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
    if (!this.#isFailure(error)) return;
    this.#totalFailures++;
    this.#consecutiveFailures++;
    if (this.#state === 'half-open' || this.#consecutiveFailures >= this.#failureThreshold)
      this.#transition('open');
  }

  /** Releases a probe slot without a verdict (the caller cancelled). */
  release(): void {
    if (this.#state === 'half-open') this.#probesInFlight = Math.max(0, this.#probesInFlight - 1);
  }

  reset(): void {
    this.#transition('closed');
  }

  snapshot(): CircuitSnapshot {
    const state = this.state;
    return {
      state,
      consecutiveFailures: this.#consecutiveFailures,
      totalFailures: this.#totalFailures,
      totalSuccesses: this.#totalSuccesses,
      ...(state === 'closed' ? {} : { openedAt: this.#openedAt, retryAt: this.#openedAt + this.#cooldownMs }),
    };
  }

  #transition(to: CircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#probesInFlight = 0;
    this.#probeSuccesses = 0;
    if (to === 'open') this.#openedAt = this.#now();
    if (to === 'closed') this.#consecutiveFailures = 0;
    this.#onStateChange?.({ from, to });
  }
}
