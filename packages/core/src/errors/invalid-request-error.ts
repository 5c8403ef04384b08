import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The request is malformed or has invalid values. */
export class InvalidRequestError extends AiMateyError {
  override readonly kind = 'invalid-request' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 400, isRetryable: false, ...options });
    this.name = 'InvalidRequestError';
  }
}
