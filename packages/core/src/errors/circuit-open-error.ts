import type { AiMateyErrorOptions } from './ai-matey-error.ts';
import { UpstreamServerError } from './upstream-server-error.ts';

const marker = Symbol.for('ai.matey.error.circuit-open');

/**
 * A backend's circuit is open, so the call was not made: fall back to another backend now, or
 * fail now with `retryAfterMs` (the rest of the cool-down). Never worth waiting for in a retry
 * loop: the caller, told `retry-after`, decides. Status 503, code `circuit_open`.
 */
export class CircuitOpenError extends UpstreamServerError {
  readonly [marker] = true;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 503, code: 'circuit_open', ...options });
    this.name = 'CircuitOpenError';
  }

  static override isInstance(error: unknown): error is CircuitOpenError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
