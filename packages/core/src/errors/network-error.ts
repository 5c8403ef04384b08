import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The connection failed: refused, reset, or cut off mid-reply. */
export class NetworkError extends AiMateyError {
  override readonly kind = 'network' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 502, isRetryable: true, ...options });
    this.name = 'NetworkError';
  }
}
