import type { AiMateyErrorOptions } from './ai-matey-error.ts';
import { RateLimitError } from './rate-limit-error.ts';

const marker = Symbol.for('ai.matey.error.concurrency-limit');

/**
 * The caller (a gateway key) has as many calls in flight as its cap allows, and this one found
 * the key's wait queue full or waited out its queue timeout. Another provider would not help:
 * the cap is the caller's. Status 429, code `concurrency_limit_exceeded`, with `retryAfterMs`.
 */
export class ConcurrencyLimitError extends RateLimitError {
  readonly [marker] = true;

  constructor(options: AiMateyErrorOptions) {
    super({ code: 'concurrency_limit_exceeded', ...options });
    this.name = 'ConcurrencyLimitError';
  }

  static override isInstance(error: unknown): error is ConcurrencyLimitError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
