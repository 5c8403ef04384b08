import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** A time limit ran out (connect, first byte, idle, or the whole call). */
export class TimeoutError extends AiMateyError {
  override readonly kind = 'timeout' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 504, isRetryable: true, ...options });
    this.name = 'TimeoutError';
  }
}
