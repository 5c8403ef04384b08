import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The provider failed with a 5xx. */
export class UpstreamServerError extends AiMateyError {
  override readonly kind = 'upstream-server' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 502, isRetryable: true, ...options });
    this.name = 'UpstreamServerError';
  }
}
