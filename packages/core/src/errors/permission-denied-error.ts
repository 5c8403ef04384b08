import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The key may not use this resource. */
export class PermissionDeniedError extends AiMateyError {
  override readonly kind = 'permission' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 403, isRetryable: false, ...options });
    this.name = 'PermissionDeniedError';
  }
}
