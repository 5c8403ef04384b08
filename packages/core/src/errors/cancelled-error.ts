import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The caller cancelled the call. */
export class CancelledError extends AiMateyError {
  override readonly kind = 'cancelled' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 499, isRetryable: false, ...options });
    this.name = 'CancelledError';
  }
}
