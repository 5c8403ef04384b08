import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** No backend serves the requested model. */
export class ModelNotFoundError extends AiMateyError {
  override readonly kind = 'model-not-found' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 404, isRetryable: false, ...options });
    this.name = 'ModelNotFoundError';
  }
}
