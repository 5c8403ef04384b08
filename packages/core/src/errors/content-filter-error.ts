import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The provider's safety system refused the request. */
export class ContentFilterError extends AiMateyError {
  override readonly kind = 'content-filter' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 400, isRetryable: false, ...options });
    this.name = 'ContentFilterError';
  }
}
