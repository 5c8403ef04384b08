import type { Backend } from '../backend.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from '../circuit-breaker.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import { toAiMateyError } from '../errors/to-ai-matey-error.ts';

/** A backend registered with a Router, with what the Router keeps about it. */
export interface Registration {
  name: string;
  backend: Backend;
  weight: number;
  models: Array<string | RegExp>;
  breaker: CircuitBreaker | undefined;
  /** Smoothed latency of its successful calls (to the first event, for streams). */
  latencyMs: number | undefined;
  inFlight: number;
}

const LATENCY_SMOOTHING = 0.3;

export function createRegistration(
  name: string,
  backend: Backend,
  options: { weight?: number; models?: Array<string | RegExp> },
  breakerOptions: CircuitBreakerOptions | false | undefined,
): Registration {
  return {
    name,
    backend,
    weight: options.weight ?? 1,
    models: options.models ?? [],
    breaker: breakerOptions === false ? undefined : new CircuitBreaker(breakerOptions ?? {}),
    latencyMs: undefined,
    inFlight: 0,
  };
}

export function recordSuccess(registration: Registration, latencyMs: number): void {
  registration.breaker?.recordSuccess();
  registration.latencyMs =
    registration.latencyMs === undefined
      ? latencyMs
      : registration.latencyMs + LATENCY_SMOOTHING * (latencyMs - registration.latencyMs);
}

/** The failure as an AiMateyError, booked on the breaker (a cancelled call only gives back its permit). */
export function recordFailure(registration: Registration, thrown: unknown): AiMateyError {
  const error = toAiMateyError(thrown, registration.backend.metadata.provider);
  if (error.kind === 'cancelled') registration.breaker?.release();
  else registration.breaker?.recordFailure(error);
  return error;
}
