import type { CallObserver } from '../middleware/observe-call.ts';
import { type Registration, recordFailure, recordSuccess } from './registration.ts';

/**
 * How a Router attempt's end is booked on its backend, given by `observeCall` for plain and
 * streamed calls alike: the in-flight slot is given back, a success feeds the latency average
 * (to the first event, for a stream) and the circuit breaker, a failure the breaker, and a
 * cancelled call only returns its breaker permit.
 */
export function attemptObserver(registration: Registration): CallObserver {
  return {
    onEnd(outcome) {
      registration.inFlight--;
      if (outcome.status === 'ok')
        recordSuccess(registration, outcome.timeToFirstEventMs ?? outcome.latencyMs);
      else if (outcome.status === 'cancelled') registration.breaker?.release();
      else recordFailure(registration, outcome.error);
    },
  };
}

/**
 * Makes a backend call that is not a chat (an embedding) and books its end as `attemptObserver`
 * books a plain chat reply: the in-flight slot back, the latency and circuit fed, or the failure.
 */
export async function bookedCall<T>(registration: Registration, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let result: T;
  try {
    result = await call();
  } catch (error) {
    registration.inFlight--;
    recordFailure(registration, error);
    throw error;
  }
  registration.inFlight--;
  recordSuccess(registration, performance.now() - started);
  return result;
}
