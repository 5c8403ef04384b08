import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The provider is overloaded (Anthropic 529, or 503); try later or elsewhere. */
export class OverloadedError extends AiMateyError {
  override readonly kind = 'overloaded' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 529, isRetryable: true, ...options });
    this.name = 'OverloadedError';
  }
}
