import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The prompt and requested output exceed the model's context window. */
export class ContextLengthExceededError extends AiMateyError {
  override readonly kind = 'context-length-exceeded' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 400, isRetryable: false, ...options });
    this.name = 'ContextLengthExceededError';
  }
}
