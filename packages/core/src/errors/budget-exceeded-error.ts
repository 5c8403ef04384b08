import { AiMateyError, type AiMateyErrorOptions } from './ai-matey-error.ts';

/** A spending budget would be exceeded by this call. */
export class BudgetExceededError extends AiMateyError {
  override readonly kind = 'budget-exceeded' as const;

  constructor(options: AiMateyErrorOptions) {
    super({ status: 429, isRetryable: false, ...options });
    this.name = 'BudgetExceededError';
  }

  /**
   * Our own budget (no provider) refuses the request wherever it goes; a provider's billing
   * error (Anthropic's `billing_error`) is that provider's account, and another may serve.
   */
  override get isRequestFault(): boolean {
    return this.provider === undefined;
  }
}
