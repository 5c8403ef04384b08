import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** The backend cannot serve a feature the request needs (tools, vision, …). */
export class UnsupportedFeatureError extends AiMateyError {
  override readonly kind = 'unsupported-feature' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 400, isRetryable: false, ...options });
    this.name = 'UnsupportedFeatureError';
  }
}
