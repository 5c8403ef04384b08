import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/**
 * The shared state store (Redis) behind rate limits and budgets could not be reached, so a call
 * that needs it is refused rather than let through unmetered. Status 503, code
 * `store_unavailable`, retryable later. Its message is for the client: it names no host, port
 * or store key (those stay in `cause`).
 */
export class StoreUnavailableError extends AiMateyError {
  override readonly kind = 'store-unavailable' as const;

  constructor(options: Partial<AiMateyErrorOptions> = {}) {
    super({
      message: 'The gateway cannot reach its state store (rate limits and budgets); try again shortly',
      status: 503,
      code: 'store_unavailable',
      isRetryable: true,
      ...options,
    });
    this.name = 'StoreUnavailableError';
  }
}
