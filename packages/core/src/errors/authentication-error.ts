import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The API key was missing or rejected. */
export class AuthenticationError extends AiMateyError {
  override readonly kind = 'authentication' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 401, isRetryable: false, ...options });
    this.name = 'AuthenticationError';
  }
}
