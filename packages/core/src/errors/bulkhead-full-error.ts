import type { AiMateyErrorOptions } from './ai-matey-error.ts';
import { UpstreamServerError } from './upstream-server-error.ts';

const marker = Symbol.for('ai.matey.error.bulkhead-full');

/**
 * A backend's bulkhead is full: it has as many calls in flight as it may, and this call found
 * its wait queue full or waited out the queue timeout. The call was not made, so a Router falls
 * back to its next candidate; otherwise the caller gets 503 with `retryAfterMs`. Not retryable
 * in a retry loop (waiting on a saturated backend only adds to its queue): the caller, told
 * `retry-after`, decides. Status 503, code `bulkhead_full`.
 */
export class BulkheadFullError extends UpstreamServerError {
  readonly [marker] = true;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 503, code: 'bulkhead_full', isRetryable: false, ...options });
    this.name = 'BulkheadFullError';
  }

  static override isInstance(error: unknown): error is BulkheadFullError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
