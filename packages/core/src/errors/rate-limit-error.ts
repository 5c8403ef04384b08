import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** Too many requests or tokens; `retryAfterMs` says when to try again, where known. */
export class RateLimitError extends AiMateyError {
  override readonly kind = 'rate-limited' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 429, isRetryable: true, ...options });
    this.name = 'RateLimitError';
  }
}
